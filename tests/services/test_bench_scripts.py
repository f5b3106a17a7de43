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

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="the benchmarks run on SQLite files of their own")


def run_bench(*args: str) -> str:
    finished = subprocess.run([sys.executable, *args], cwd=REPOSITORY, capture_output=True, text=True,
                              timeout=180, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


def test_the_load_bench_drives_the_survey_bot_on_each_framework_and_the_echo_bot() -> None:
    output = run_bench("-m", "bench.load", "--framework", "both", "--customers", "4")

    # every customer finishes on each framework, and what they answered is stored
    assert output.count("stored:              76 answers (expected 76), 4 submitted (expected 4)") == 2
    assert output.count("errors:              0 (") == 3  # the survey bot on aiogram, on PTB, the echo bot
    assert output.count("failed updates:      0 (") == 3
    for framework in ("aiogram", "ptb"):
        assert f"survey bot ({framework}):" in output
        assert re.search(rf"survey bot \({framework}\) / echo bot throughput: \d+%", output)
        # the table: updates/s, p50 / p95 / p99 ms, failed updates
        assert re.search(rf"^{framework} +\d+\.\d +\d+ / \d+ / \d+ +0$", output, re.MULTILINE)
    assert re.search(r"^ptb / aiogram throughput: \d+%$", output, re.MULTILINE)


def test_the_step_bench_times_a_tap() -> None:
    output = run_bench("bench/step.py", "--steps", "20", "--runs", "1")

    assert re.search(r"a tap's step: \d+ µs of CPU", output)


def test_the_summary_bench_summarises_a_seeded_survey() -> None:
    output = run_bench("bench/summary.py", "--respondents", "300", "--runs", "1")

    assert "320 submitted" in output  # the 300 seeded and the 20 that time the Submit tap's step
    assert re.search(r"build_summary median of 1: [0-9.]+ s", output)


def test_the_reminder_bench_reaches_every_chat_once_on_each_framework() -> None:
    output = run_bench("-m", "bench.reminders", "--respondents", "30", "--rate", "1000", "--framework", "both")

    assert re.findall(r"^(aiogram|ptb):$", output, re.MULTILINE) == ["aiogram", "ptb"]
    assert output.count("chats reached:        30") == 2
    assert output.count("duplicates:           0") == 2


def test_the_bot_api_bench_times_each_call_on_each_framework() -> None:
    output = run_bench("-m", "bench.bot_api", "--calls", "20", "--framework", "both")

    assert re.search(r"aiogram +ptb +ptb / aiogram$", output, re.MULTILINE)
    for call in ("sendMessage", "answerCallbackQuery", "editMessageText", "a tap"):
        # ms on aiogram, ms on PTB, PTB's over aiogram's
        assert re.search(rf"^  {call}.* \d+\.\d{{3}} +\d+\.\d{{3}} +\d+\.\d\d$", output, re.MULTILINE)


def test_the_export_bench_exports_a_seeded_survey_alone_and_while_customers_answer() -> None:
    output = run_bench("bench/export.py", "--respondents", "60", "--customers", "3", "--alone", "1")

    assert "seeded and tallied 60 respondents, 1,140 answers on sqlite" in output
    assert re.search(r"surveybot export: [0-9.]+ s .*, peak RSS \d+ MB", output)
    assert re.search(r"3 customers, nothing else running: p50 [0-9.]+ ms, p99 [0-9.]+ ms", output)
    assert "last progress text: 'Preparing the workbook… 100 %'" in output
