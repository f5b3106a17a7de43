"""The CPU of one tap's database step, alone: read the respondent with its survey and answers, store
the answer and the next screen, commit (`storage.take_step`, as the bot runs it for every rating).

    .venv/bin/python bench/step.py [--steps 3000] [--runs 3]

One respondent on a SQLite file in a temporary directory taps ratings over and over, moving between two
questions; the event loop is uvloop, as in the bot. Prints the CPU time of a step (median of the runs,
after 200 steps of warm-up). Under load (bench/load.py) a step costs more than alone: other tasks and
the other process's writes are in its way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import uvloop

from bot.adapters import storage

SPEC_ID = "TBSC120"
WARM_UP_STEPS = 200
QUESTIONS = ("1.1", "1.2")


def tap(rating: int) -> Callable[[storage.RespondentInSurvey], tuple[storage.StepChange, bool]]:
    """The step of tapping `rating` on the respondent's question, which moves it to the other one."""

    def decide(found: storage.RespondentInSurvey) -> tuple[storage.StepChange, bool]:
        here = found.respondent.position.removeprefix("q:")
        there = QUESTIONS[1 - QUESTIONS.index(here)] if here in QUESTIONS else QUESTIONS[0]
        state = storage.DialogueState(position=f"q:{there}", reviewing=False, language="zh", comment=None,
                                      screen_message_id=None)
        return storage.StepChange(answer=(there, rating), state=state), True

    return decide


async def step_seconds(steps: int) -> float:
    """CPU seconds of one step, over `steps` steps."""
    with tempfile.TemporaryDirectory() as folder:
        database = await storage.open_database(f"sqlite+aiosqlite:///{Path(folder) / 'step.sqlite3'}")
        try:
            now = dt.datetime.now(dt.UTC)
            survey = await storage.create_survey(database.sessions, spec_id=SPEC_ID, organization="Bench",
                                                 timezone="Asia/Shanghai", now=now)
            await storage.join(database.sessions, survey.id, 1, 1, "zh", now)
            who = storage.UserInSurvey(survey.id, 1)
            for number in range(WARM_UP_STEPS):
                await storage.take_step(database.sessions, who, now, tap(1 + number % 5))
            started = time.process_time()
            for number in range(steps):
                assert await storage.take_step(database.sessions, who, now, tap(1 + number % 5))
            return (time.process_time() - started) / steps
        finally:
            await database.close()


def main(steps: int, runs: int) -> None:
    times = [uvloop.run(step_seconds(steps)) for _ in range(runs)]
    each = ", ".join(f"{seconds * 1e6:.0f}" for seconds in times)
    print(f"a tap's step: {statistics.median(times) * 1e6:.0f} µs of CPU "
          f"(median of {runs} runs of {steps:,} steps: {each} µs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.steps, arguments.runs)
