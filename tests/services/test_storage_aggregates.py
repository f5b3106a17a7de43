"""Histograms and per-respondent totals computed by the database, checked against hand figures.

The seeded survey has two items, A (weight 60) and B (weight 40), and α = rating / 5:
  respondent 1 submitted A=5 B=3 → 60×1.0 + 40×0.6 = 84
  respondent 2 submitted A=4 B=4 → 60×0.8 + 40×0.8 = 80
  respondent 3 paper     A=2 B=5 → 60×0.4 + 40×1.0 = 64
  respondent 4 answered  A=1 B=1 but did not submit  → not counted
  respondent 5 joined without answering                → not counted
n = 3, Σ = 84 + 80 + 64 = 228, Σ² = 7056 + 6400 + 4096 = 17552.
"""

from __future__ import annotations

import datetime as dt

import pytest
from answering import answer, submit

from bot.adapters import storage
from bot.adapters.storage import Database

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ALPHAS = {1: 0.2, 2: 0.4, 3: 0.6, 4: 0.8, 5: 1.0}
WEIGHTS = {"A": 60, "B": 40}


async def seeded_survey(database: Database) -> int:
    sessions = database.sessions
    survey = await storage.create_survey(sessions, spec_id="TBSC120", organization="Seed Co",
                                         timezone="Asia/Shanghai", now=T0)
    for user, answers, submits in ((1, {"A": 5, "B": 3}, True), (2, {"A": 4, "B": 4}, True),
                                   (4, {"A": 1, "B": 1}, False), (5, {}, False)):
        respondent = await storage.join(sessions, survey.id, user, user, "zh", T0)
        for item, rating in answers.items():
            await answer(sessions, respondent.id, item, rating, T0)
        if submits:
            await submit(sessions, respondent.id, T0)
    await storage.add_paper_respondent(sessions, survey.id, {"A": 2, "B": 5}, T0)

    elsewhere = await storage.create_survey(sessions, spec_id="TBSC120", organization="Other Co",
                                            timezone="Asia/Shanghai", now=T0)
    stranger = await storage.join(sessions, elsewhere.id, 1, 1, "zh", T0)
    await answer(sessions, stranger.id, "A", 1, T0)
    await submit(sessions, stranger.id, T0)
    return survey.id


async def tallied_stats(database: Database, survey_id: int) -> storage.TotalStats:
    await storage.tally_submitted(database.sessions, survey_id, storage.Weighting(ALPHAS, WEIGHTS))
    return await storage.total_stats(database.sessions, survey_id)


async def test_histograms_count_submitted_answers_per_item_and_rating(database: Database) -> None:
    survey_id = await seeded_survey(database)
    assert await storage.item_histograms(database.sessions, survey_id) == {
        "A": {5: 1, 4: 1, 2: 1},
        "B": {3: 1, 4: 1, 5: 1},
    }


async def test_total_stats_match_the_hand_figures(database: Database) -> None:
    survey_id = await seeded_survey(database)
    n, total, total_of_squares = await tallied_stats(database, survey_id)
    assert n == 3
    assert total == pytest.approx(228)
    assert total_of_squares == pytest.approx(17552)


async def test_progress_separates_started_from_submitted(database: Database) -> None:
    survey_id = await seeded_survey(database)
    assert await storage.progress_counts(database.sessions, survey_id) == storage.ProgressCounts(
        joined=5, started=1, submitted=3
    )


async def test_an_empty_survey_has_empty_figures(database: Database) -> None:
    survey = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="Empty",
                                         timezone="Asia/Shanghai", now=T0)
    assert await storage.item_histograms(database.sessions, survey.id) == {}
    assert await tallied_stats(database, survey.id) == (0, 0.0, 0.0)
    assert await storage.progress_counts(database.sessions, survey.id) == storage.ProgressCounts(0, 0, 0)


async def test_a_repeated_submission_is_not_counted_twice(database: Database) -> None:
    survey_id = await seeded_survey(database)
    first = await storage.respondent_for(database.sessions, survey_id, 1)
    assert await submit(database.sessions, first.id, T0) is False
    assert (await storage.item_histograms(database.sessions, survey_id))["A"] == {5: 1, 4: 1, 2: 1}


async def test_tallying_is_idempotent_and_picks_up_later_submissions(database: Database) -> None:
    """Respondent 4 (A=1 B=1 → 60×0.2 + 40×0.2 = 20) submits after a first summary:
    n = 4, Σ = 228 + 20 = 248, Σ² = 17552 + 400 = 17952."""
    survey_id = await seeded_survey(database)
    weighting = storage.Weighting(ALPHAS, WEIGHTS)
    assert await storage.tally_submitted(database.sessions, survey_id, weighting) == 3
    assert await storage.tally_submitted(database.sessions, survey_id, weighting) == 0
    late = await storage.respondent_for(database.sessions, survey_id, 4)
    await submit(database.sessions, late.id, T0)
    assert await tallied_stats(database, survey_id) == pytest.approx((4, 248.0, 17952.0))
    assert (await storage.item_histograms(database.sessions, survey_id))["A"] == {5: 1, 4: 1, 2: 1, 1: 1}
