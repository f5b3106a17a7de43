"""How long a lead's /summary takes on a big survey: 100,000 submitted respondents, 1.9 million answers.

    .venv/bin/python bench/summary.py [--respondents 100000] [--runs 5]

Seeds a SQLite database in a temporary directory (one INSERT ... SELECT over a recursive CTE per table),
then prints the median time of `build_summary` next to the bare SQL GROUP BY over the answers that it
no longer needs (the tallies kept at submission replace it; see bot/adapters/storage/tallies.py), their ratio,
and the peak extra memory of one summary (tracemalloc). Goal: under 0.5 s and under 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bot.adapters import storage
from bot.services.survey_summary import build_summary, weighting
from specs import load_catalog
from specs.model import Spec

SPEC_ID = "TBSC120"
GOAL_SECONDS = 0.5
GOAL_MEGABYTES = 100

BARE_GROUP_BY = """
    SELECT a.item_code, a.rating, count(*) FROM answer a JOIN respondent r ON r.id = a.respondent_id
    WHERE r.survey_id = ? AND r.submitted_at IS NOT NULL GROUP BY a.item_code, a.rating
"""


def seed(path: Path, survey_id: int, respondents: int, item_codes: list[str]) -> None:
    """Respondents 1..n joined over a month, each submitted 5-15 minutes later; every item rated 1-5,
    mostly 4 and 5; respondents 1-100 straight-line (all 5) and respondents 101-150 take 30 seconds."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA synchronous = OFF")
        db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO respondent (survey_id, number, telegram_user_id, chat_id, channel, language, position,
                                    reviewing, joined_at, last_active_at, submitted_at, reminder_count,
                                    unreachable)
            SELECT ?, i, 1000000 + i, 1000000 + i, 'telegram', 'zh', 'done', 0,
                   datetime('2026-05-01 08:00:00', '+' || (i * 26) || ' seconds'),
                   datetime('2026-05-01 08:00:00', '+' || (i * 26 + d) || ' seconds'),
                   datetime('2026-05-01 08:00:00', '+' || (i * 26 + d) || ' seconds'), 0, 0
            FROM (SELECT i, CASE WHEN i BETWEEN 101 AND 150 THEN 30 ELSE 300 + abs(random()) % 600 END AS d
                  FROM n)
            """,
            (respondents, survey_id),
        )
        db.execute("CREATE TEMP TABLE item (code TEXT)")
        db.executemany("INSERT INTO item VALUES (?)", [(code,) for code in item_codes])
        db.execute(
            """
            INSERT INTO answer (respondent_id, item_code, rating, answered_at)
            SELECT r.id, item.code,
                   CASE WHEN r.number <= 100 THEN 5
                        ELSE min(5, 2 + abs(random()) % 4 + abs(random()) % 2) END,
                   r.submitted_at
            FROM respondent r CROSS JOIN item WHERE r.survey_id = ?
            """,
            (survey_id,),
        )
        db.execute(  # what submitting adds for each response (bot/adapters/storage/tallies.py)
            """
            INSERT INTO item_rating_count (survey_id, item_code, rating, respondents)
            SELECT r.survey_id, a.item_code, a.rating, count(*) FROM answer a JOIN respondent r
            ON r.id = a.respondent_id WHERE r.survey_id = ? GROUP BY r.survey_id, a.item_code, a.rating
            """,
            (survey_id,),
        )
        db.execute("ANALYZE")


def bare_group_by_seconds(path: Path, survey_id: int) -> float:
    with sqlite3.connect(path) as db:
        started = time.perf_counter()
        db.execute(BARE_GROUP_BY, (survey_id,)).fetchall()
        return time.perf_counter() - started


async def main(respondents: int, runs: int) -> None:
    catalog = load_catalog()
    spec = catalog.get(SPEC_ID)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = await storage.open_database(f"sqlite+aiosqlite:///{path}")
        now = dt.datetime.now(dt.UTC)
        survey = await storage.create_survey(database.sessions, spec_id=SPEC_ID, organization="Bench",
                                             timezone="Asia/Shanghai", now=now)
        started = time.perf_counter()
        seed(path, survey.id, respondents, [item.code for item in spec.items])
        print(f"seeded {respondents:,} respondents, {respondents * len(spec.items):,} answers "
              f"in {time.perf_counter() - started:.1f} s")
        try:
            started = time.perf_counter()
            await storage.tally_submitted(database.sessions, survey.id, weighting(spec))
            print(f"tallying all {respondents:,} at once (the first summary after an upgrade): "
                  f"{time.perf_counter() - started:.1f} s")
            submit_seconds = await submission_seconds(database, survey.id, spec, runs=20)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                summary = await build_summary(database.sessions, catalog, survey)
                times.append(time.perf_counter() - started)
            bare = statistics.median(bare_group_by_seconds(path, survey.id) for _ in range(runs))
            tracemalloc.start()
            await build_summary(database.sessions, catalog, survey)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            await database.close()
    summary_seconds = statistics.median(times)
    megabytes = peak / 2**20
    print(f"summary: service score {summary.scores.service_score}, {summary.submitted:,} submitted, "
          f"{len(summary.straight_liners)} straight-liners, {len(summary.speeders)} speeders")
    print(f"build_summary median of {runs}: {summary_seconds:.3f} s   (goal < {GOAL_SECONDS} s)")
    print(f"bare SQL GROUP BY item, rating over all answers (what the tallies spare): {bare:.3f} s")
    print(f"ratio summary / bare GROUP BY: {summary_seconds / bare:.1f}")
    print(f"peak extra memory of one summary: {megabytes:.1f} MB   (goal < {GOAL_MEGABYTES} MB)")
    print(f"the Submit tap's step (with counting its answers), median of 20: {submit_seconds * 1000:.1f} ms")


async def submission_seconds(database: storage.Database, survey_id: int, spec: Spec, runs: int) -> float:
    """The median time of the Submit tap's step as the bot stores it (`storage.take_step`: read the
    respondent, store the last screen, mark it submitted, count its answers) for new respondents of
    the seeded survey who answered the 19 questions."""
    now = dt.datetime.now(dt.UTC)
    times = []
    for user_id in range(1, runs + 1):
        respondent = await storage.join(database.sessions, survey_id, user_id, user_id, "zh", now)
        for item in spec.items:
            step = storage.StepChange(answer=(item.code, 4))
            await storage.take_step(database.sessions, respondent.id, now, lambda _, step=step: (step, None))
        started = time.perf_counter()
        await storage.take_step(database.sessions, respondent.id, now, _submit_step)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _submit_step(found: storage.RespondentInSurvey) -> tuple[storage.StepChange, None]:
    done = storage.DialogueState(position="done", reviewing=False, language=found.respondent.language,
                                 comment=None, screen_message_id=None)
    return storage.StepChange(submit=True, state=done), None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.respondents, arguments.runs))
