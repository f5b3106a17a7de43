"""The lead's live summary and export from the database, against `surveybot score` and hand-worked figures.

The scoring sample is the one of tests/test_cli_score.py, worked out by hand on TBSC120:
respondent A rates 1.1/1.2/1.3 as 5/5/2, B as 5/4/3, C as 4/3/4; all three rate every other item 4.
  1.1: α 0.933333   1.2: α 0.8, score 5.6   1.3: α 0.6, score 3.0   功能性 = 13.266667 of 17
  service score 79.666667 → 79.7, no grade; 95 % interval [77.3, 82.0] straddles 80: not settled.
  Lowest α: 1.3 (0.6), then 1.2 and 2.1 (0.8, spec order breaks the tie).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from answering import answer, submit
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage import Database, SurveyRecord
from bot.cli import app
from bot.services.survey_export import build_export
from bot.services.survey_summary import build_summary, weighting
from conversations.result_wording import Standing, more_to_settle, standing
from specs import load_catalog

CATALOG = load_catalog()
SPEC = CATALOG.get("TBSC120")
ITEMS = [item.code for item in SPEC.items]
START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
SAMPLE = {
    "A": {"1.1": 5, "1.2": 5, "1.3": 2},
    "B": {"1.1": 5, "1.2": 4, "1.3": 3},
    "C": {"1.1": 4, "1.2": 3, "1.3": 4},
}


def full_ratings(overrides: dict[str, int], default: int = 4) -> dict[str, int]:
    return {code: overrides.get(code, default) for code in ITEMS}


async def new_survey(database: Database) -> SurveyRecord:
    return await storage.create_survey(database.sessions, spec_id="TBSC120", organization="南昌城管",
                                       timezone="Asia/Shanghai", now=START, target=50)


async def respond(database: Database, survey: SurveyRecord, user_id: int, ratings: dict[str, int],
                  minutes: float | None, joined: dt.datetime = START) -> None:
    """A Telegram respondent who joins at `joined`, answers, and submits `minutes` later (None: never)."""
    respondent = await storage.join(database.sessions, survey.id, user_id, user_id, "zh", joined)
    for code, rating in ratings.items():
        await answer(database.sessions, respondent.id, code, rating, joined)
    if minutes is not None:
        await submit(database.sessions, respondent.id, joined + dt.timedelta(minutes=minutes))


async def tallied_flags(database: Database, survey: SurveyRecord) -> storage.QualityFlags:
    await storage.tally_submitted(database.sessions, survey.id, weighting(SPEC))
    return await storage.quality_flags(database.sessions, survey.id)


def score_cli_json(tmp_path: Path) -> dict:
    lines = ["respondent,item,rating"] + [
        f"{who},{code},{rating}" for who, overrides in SAMPLE.items()
        for code, rating in full_ratings(overrides).items()]
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", "--spec", "TBSC120", "--answers", str(answers),
                                      "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
async def sampled(database: Database) -> SurveyRecord:
    survey = await new_survey(database)
    for user_id, overrides in enumerate(SAMPLE.values(), start=1):
        await respond(database, survey, user_id, full_ratings(overrides), minutes=10)
    await respond(database, survey, 99, {"1.1": 1, "1.2": 1}, minutes=None)  # in progress: not counted
    return survey


async def test_summary_figures_equal_surveybot_score_on_the_same_answers(database, sampled, tmp_path):
    summary = await build_summary(database.sessions, CATALOG, sampled)
    expected = score_cli_json(tmp_path)
    scores = summary.scores
    assert (summary.joined, summary.started, summary.submitted, summary.target) == (4, 1, 3, 50)
    assert scores.respondents == expected["respondents"] == 3
    assert float(scores.service_score) == expected["service_score"] == 79.7
    assert [float(v) for v in (scores.interval.low, scores.interval.high)] == pytest.approx(
        [77.32, 82.01], abs=0.01)
    assert expected["ci95"] == [77.3, 82.0]
    figures = scores.result_figures()
    assert standing(SPEC, figures) is Standing.PROVISIONAL and expected["grade_settled"] is False
    assert more_to_settle(SPEC, figures) == expected["responses_to_settle"]
    assert scores.grade is None and expected["service_grade"] is None
    by_code = {c["code"]: c["score"] for c in expected["characteristics"]}
    assert {c.code: round(c.score, 6) for c in scores.characteristics} == by_code
    assert by_code["1"] == pytest.approx(13.266667)


async def test_summary_names_the_three_lowest_items_with_their_alpha(database, sampled):
    lowest = (await build_summary(database.sessions, CATALOG, sampled)).scores.lowest
    assert [(item.code, round(item.alpha, 6)) for item in lowest] == [
        ("1.3", 0.6), ("1.2", 0.8), ("2.1", 0.8)]
    assert lowest[0].dimension == SPEC.item("1.3").dimension


async def test_a_survey_without_submitted_responses_has_progress_but_no_scores(database):
    survey = await new_survey(database)
    await respond(database, survey, 1, {"1.1": 5}, minutes=None)
    summary = await build_summary(database.sessions, CATALOG, survey)
    assert (summary.joined, summary.started, summary.submitted) == (1, 1, 0)
    assert summary.scores is None and summary.straight_liners == () and summary.speeders == ()


async def test_one_response_has_a_score_but_no_interval(database):
    survey = await new_survey(database)
    await respond(database, survey, 1, full_ratings({}, default=5), minutes=10)
    scores = (await build_summary(database.sessions, CATALOG, survey)).scores
    assert scores.service_score == Decimal("100.0") and scores.grade.zh == "五星级"
    assert scores.interval is None and standing(SPEC, scores.result_figures()) is Standing.PROVISIONAL


async def test_quality_flags_on_a_hand_made_set(database):
    """Durations 10, 11, 12, 3 minutes and a paper response: median (10 + 11) / 2 = 10.5 min,
    a third of it 3.5 min → only #4 speeds. #1 rates every item 5 and #3 every item 2 (straight-lining);
    #5 rates 18 items 3 and has not submitted, #6 is paper (no time, all 1s: straight-lining only)."""
    survey = await new_survey(database)
    await respond(database, survey, 1, full_ratings({}, default=5), minutes=10)
    await respond(database, survey, 2, full_ratings({"4.2": 2}), minutes=11)
    await respond(database, survey, 3, full_ratings({}, default=2), minutes=12)
    await respond(database, survey, 4, full_ratings({"1.1": 5}), minutes=3)
    await respond(database, survey, 5, {code: 3 for code in ITEMS[:18]}, minutes=None)
    await storage.add_paper_respondent(database.sessions, survey.id, full_ratings({}, default=1), START)
    flags = await tallied_flags(database, survey)
    assert flags.straight_liners == (1, 3, 6)
    assert flags.speeders == (4,)
    assert flags.median_seconds == pytest.approx(630)
    summary = await build_summary(database.sessions, CATALOG, survey)
    assert (summary.straight_liners, summary.speeders) == ((1, 3, 6), (4,))
    assert summary.submitted == 5  # flagged responses are counted, not excluded


async def test_a_respondent_who_submitted_just_over_a_third_of_the_median_is_not_speeding(database):
    survey = await new_survey(database)
    for user_id, minutes in enumerate((9, 9, 9, 3.01), start=1):
        await respond(database, survey, user_id, full_ratings({"7": 5}), minutes=minutes)
    flags = await tallied_flags(database, survey)
    assert flags.speeders == () and flags.straight_liners == ()


async def test_export_workbook_and_csv_hold_the_survey(database, sampled):
    await storage.set_level(database.sessions, sampled.id, SPEC.requirements[0].code, 3, None, START)
    now = dt.datetime(2026, 5, 6, 17, 0, tzinfo=dt.UTC)  # 01:00 on 7 May in Shanghai
    files = await build_export(database.sessions, CATALOG, sampled, "zh", now)
    assert files.workbook_name == f"TBSC120_{sampled.code}_2026-05-07.xlsx"
    assert files.csv_name == f"TBSC120_{sampled.code}_2026-05-07.csv"
    workbook = openpyxl.load_workbook(io.BytesIO(files.workbook))
    score_sheet, raw_sheet = workbook.worksheets[0], workbook.worksheets[1]
    score_row = next(row for row in score_sheet.iter_rows() if row[0].value == "服务特性测评得分")
    assert score_row[5].value == pytest.approx(79.7)
    assert raw_sheet.max_row == 1 + 3  # header and the three submitted respondents, not the one in progress
    management = "\n".join(str(cell.value) for row in workbook.worksheets[3].iter_rows() for cell in row
                           if cell.value is not None)
    assert "尚未" in management or "Not decided" in management  # 20 of 21 requirements still unrated
    rows = list(csv.DictReader(io.StringIO(files.answers_csv.decode("utf-8-sig"))))
    assert len(rows) == 3 * len(ITEMS)
    assert {(row["respondent"], row["item"], row["rating"]) for row in rows if row["item"] == "1.3"} == {
        ("1", "1.3", "2"), ("2", "1.3", "3"), ("3", "1.3", "4")}


async def test_export_certifies_once_every_requirement_is_rated(database, sampled):
    for requirement in SPEC.requirements:
        await storage.set_level(database.sessions, sampled.id, requirement.code, 5, None, START)
    files = await build_export(database.sessions, CATALOG, sampled, "en", START)
    sheet = openpyxl.load_workbook(io.BytesIO(files.workbook)).worksheets[3]
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert "Certified without a grade" in text  # 79.7 is below 80 even with management level 五级


def test_export_cli_refuses_an_unknown_code(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["export", "NOPE", "-o", str(tmp_path / "x.xlsx"), "--lang", "en"])
    assert result.exit_code == 2
    assert "unknown survey code" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


async def test_export_cli_writes_the_workbook_and_csv(database, database_url, sampled, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", database_url)
    await database.close()
    target, answers = tmp_path / "out.xlsx", tmp_path / "out.csv"
    arguments = ["export", sampled.code, "-o", str(target), "--csv", str(answers)]
    result = await asyncio.to_thread(CliRunner().invoke, app, arguments)  # the CLI runs its own event loop
    assert result.exit_code == 0, result.output
    score_sheet = openpyxl.load_workbook(target).worksheets[0]
    assert any(row[5].value == pytest.approx(79.7) for row in score_sheet.iter_rows() if len(row) > 5)
    rescored = CliRunner().invoke(app, ["score", "--spec", "TBSC120", "--answers", str(answers), "--format",
                                        "json"])
    assert json.loads(rescored.stdout)["service_score"] == 79.7
