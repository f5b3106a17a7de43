"""The benchmarks in bench/ still run and still check what they measure, each on a tiny load (their
figures are for people to read; no test times anything). They bring their own SQLite files, so they
run once, in the SQLite pass of the suite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="the benchmarks run on SQLite files of their own")


def run_bench(*args: str) -> str:
    finished = subprocess.run([sys.executable, *args], cwd=REPOSITORY, capture_output=True, text=True,
                              timeout=180, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


def test_the_load_bench_drives_both_bots_and_every_customer_finishes() -> None:
    output = run_bench("-m", "bench.load", "--customers", "4", "--workers", "2")

    assert "stored:              76 answers (expected 76), 4 submitted (expected 4)" in output
    assert output.count("errors:              0 (") == 2  # the survey bot and the echo bot
    assert re.search(r"survey bot / echo bot throughput: \d+%", output)


def test_the_step_bench_times_a_tap() -> None:
    output = run_bench("bench/step.py", "--steps", "20", "--runs", "1")

    assert re.search(r"a tap's step: \d+ µs of CPU", output)


def test_the_summary_bench_summarises_a_seeded_survey() -> None:
    output = run_bench("bench/summary.py", "--respondents", "300", "--runs", "1")

    assert "320 submitted" in output  # the 300 seeded and the 20 that time the Submit tap's step
    assert re.search(r"build_summary median of 1: [0-9.]+ s", output)


def test_the_reminder_bench_reaches_every_chat_once() -> None:
    output = run_bench("-m", "bench.reminders", "--respondents", "30", "--rate", "1000")

    assert "chats reached:        30" in output
    assert "duplicates:           0" in output


def test_the_bot_api_bench_times_each_call() -> None:
    output = run_bench("-m", "bench.bot_api", "--calls", "20")

    for call in ("sendMessage", "answerCallbackQuery", "editMessageText"):
        assert re.search(rf"{call}.* \d+\.\d+ +\d+\.\d+$", output, re.MULTILINE)  # ms by form, by JSON
