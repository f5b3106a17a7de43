"""bench/web_load.py still measures what it says, on a tiny load: every phone's response stored with all
its answers, no error, a figure for every kind of page, the Telegram shell's updates a second beside the
pages a second (its own SQLite files: the SQLite pass only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="the benchmark runs on a SQLite file of its own")


def test_the_web_load_bench_drives_phones_through_the_real_server_and_every_response_is_stored() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "bench.web_load", "--phones", "4", "--think", "0.02", "--saturation-phones", "3",
         "--telegram-customers", "2"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=180, check=False)
    output = finished.stdout
    assert finished.returncode == 0, output + finished.stderr
    assert "errors: 0\n" in output and output.count("errors: 0") == 3
    assert "stored: 7 of 7 responses submitted with all 19 answers" in output
    for kind, count in (("welcome", 4), ("tap", 84), ("question", 76), ("review", 4), ("thank-you", 4)):
        assert f"\n{kind:<10} {count:>6} " in output, kind
    assert "pages/s" in output and "server CPU" in output
    assert "Telegram shell (aiogram, 2 customers, no pause)" in output and "Telegram errors: 0" in output
