"""Customers answer "not applicable" (不适用 / 没有经历) through RespondentService, on SQLite or PostgreSQL
(TEST_DATABASE_URL): the answers, the tallies, the lead's summary and the export reflect it.

The figures are the hand-worked ones of tests/unit/test_scoring_not_applicable.py (TBSC120, α = rating / 5):
  #1 rates every item 4 except 1.1 = 5, 1.2 = 5     total 5 + 7 + 88 × 0.8 = 82.4
  #2 rates every item 4 except 1.1 = 3, 1.2 = 3     total 3 + 4.2 + 70.4 = 77.6
  #3 rates every item 4 but answers 1.1 N/A         no total (not comparable); 18 rated, all 4: straight-lining
  #4 answers every item N/A                         flagged "all not applicable", not scored
  #5 answers 1.1 N/A and stops                      in progress, not counted
  1.1: α (1.0 + 0.6) / 2 = 0.8 over its 2 raters (2 N/A); 1.2: α (1.0 + 0.6 + 0.8) / 3 = 0.8 (1 N/A);
  every item 0.8 → service 80.0; 3 scored respondents; delta-method interval [72.8, 87.2].
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage import Database, SurveyRecord
from bot.cli import app
from bot.services.respondent import RespondentService
from bot.services.survey_export import build_export
from bot.services.survey_summary import build_summary, weighting
from conversations.lead_summary import summary_screen
from conversations.result_wording import more_to_settle
from specs import load_catalog

CATALOG = load_catalog()
SPEC = CATALOG.get("TBSC120")
ITEMS = [item.code for item in SPEC.items]
NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
NA = None


def ratings(default: int | None = 4, **overrides: int | None) -> dict[str, int | None]:
    """Every item `default`, except items given as i1_1=5 (1.1) or i7=NA (7)."""
    changed = {name[1:].replace("_", "."): value for name, value in overrides.items()}
    return {code: changed.get(code, default) for code in ITEMS}


async def new_survey(database: Database) -> SurveyRecord:
    return await storage.create_survey(database.sessions, spec_id="TBSC120", organization="不适用测试",
                                       timezone="Asia/Shanghai", now=NOW)


async def respond(service: RespondentService, survey: SurveyRecord, user_id: int,
                  answers: dict[str, int | None], submit: bool = True) -> None:
    """Join by the invite, tap one button per question (r:na for N/A), then Submit."""
    reply = await service.open_invite(survey.code, user_id, user_id, "en")
    reply = await service.on_button(user_id, survey.id, reply.screen.position, "start")
    for index, code in enumerate(answers):
        assert reply.screen.position == f"q:{index}"
        rating = answers[code]
        reply = await service.on_button(user_id, survey.id, reply.screen.position,
                                        "r:na" if rating is NA else f"r:{rating}")
    if submit:
        assert reply.screen.position == "review"
        if NA in answers.values():
            assert "N/A (not applicable)" in reply.screen.text
        reply = await service.on_button(user_id, survey.id, "review", "submit")
        assert "Thank you" in reply.screen.text


@pytest.fixture
def service(database: Database) -> RespondentService:
    return RespondentService(database.sessions, CATALOG, "en", clock=lambda: NOW)


@pytest.fixture
async def answered(database: Database, service: RespondentService) -> SurveyRecord:
    survey = await new_survey(database)
    await respond(service, survey, 1, ratings(i1_1=5, i1_2=5))
    await respond(service, survey, 2, ratings(i1_1=3, i1_2=3))
    await respond(service, survey, 3, ratings(i1_1=NA))
    await respond(service, survey, 4, ratings(NA))
    await respond(service, survey, 5, {"1.1": NA}, submit=False)
    return survey


async def test_na_answers_are_stored_as_null_one_row_per_item(database, answered):
    async with database.engine.connect() as connection:
        rows = (await connection.exec_driver_sql(
            "SELECT r.number, count(*), count(a.rating) FROM answer a JOIN respondent r ON r.id = a.respondent_id "
            "GROUP BY r.number ORDER BY r.number")).all()
    assert [tuple(row) for row in rows] == [(1, 19, 19), (2, 19, 19), (3, 19, 18), (4, 19, 0), (5, 1, 0)]


async def test_histograms_pairs_and_tallies_leave_na_out_of_ratings_and_totals(database, answered):
    sessions = database.sessions
    histograms = await storage.item_histograms(sessions, answered.id)
    assert histograms["1.1"] == {3: 1, 5: 1, NA: 2}  # #5 has not submitted
    assert histograms["1.2"] == {3: 1, 4: 1, 5: 1, NA: 1}
    assert histograms["7"] == {4: 3, NA: 1}
    pairs = await storage.pair_histograms(sessions, answered.id)
    assert pairs["1.1", "1.2"] == {(5, 5): 1, (3, 3): 1}  # only #1 and #2 rated both
    assert pairs["1.2", "1.3"] == {(5, 4): 1, (3, 4): 1, (4, 4): 1}
    assert len(pairs) == 19 * 18 // 2
    await storage.tally_submitted(sessions, answered.id, weighting(SPEC))
    async with database.engine.connect() as connection:
        tallies = (await connection.exec_driver_sql(
            "SELECT number, rated_items, total_score, straight_lined FROM respondent "
            "WHERE submitted_at IS NOT NULL ORDER BY number")).all()
    assert [(n, rated, None if total is None else round(total, 6), bool(straight))
            for n, rated, total, straight in tallies] == [
        (1, 19, 82.4, False), (2, 19, 77.6, False), (3, 18, None, True), (4, 0, None, False)]
    assert await storage.total_stats(sessions, answered.id) == pytest.approx((2, 160.0, 82.4 ** 2 + 77.6 ** 2))
    assert await storage.rated_respondents(sessions, answered.id) == 3
    flags = await storage.quality_flags(sessions, answered.id)
    assert (flags.straight_liners, flags.all_not_applicable) == ((3,), (4,))


async def test_the_summary_scores_with_na_left_out_and_says_so(database, answered):
    summary = await build_summary(database.sessions, CATALOG, answered)
    scores = summary.scores
    assert (summary.joined, summary.started, summary.submitted) == (5, 1, 4)
    assert scores.respondents == 3 and float(scores.service_score) == 80.0 and scores.unrated == ()
    first = scores.items[0]
    assert (first.code, first.n, first.not_applicable, first.alpha) == ("1.1", 2, 2, pytest.approx(0.8))
    assert (round(scores.interval.low, 1), round(scores.interval.high, 1)) == (72.8, 87.2)
    assert scores.interval.sd == pytest.approx(2.9)
    assert more_to_settle(summary.spec, scores.result_figures()) > 10_000  # 80.0 sits 0.05 above the 80 line
    assert (summary.straight_liners, summary.all_not_applicable) == ((3,), (4,))
    text = summary_screen(summary, "en", None).text
    assert "Service score: 80.0" in text and "95% confidence interval: 72.8–87.2" in text
    assert '"Not applicable" answers (left out of the item\'s score): 1.1 ×2, 1.2 ×1' in text
    assert "Straight-lining (one rating for every rated item, at least 10 of 19 rated): 1 (#3)" in text
    assert 'Every item "not applicable" (rates nothing, not scored): 1 (#4)' in text
    assert "服务特性测评得分：80.0" in summary_screen(summary, "zh", None).text


async def test_the_export_counts_na_per_item_and_surveybot_score_agrees(database, answered, tmp_path):
    files = await build_export(database.sessions, CATALOG, answered, "zh", NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(files.workbook)).worksheets[0]
    headers = [cell.value for cell in sheet[6]]
    assert headers[6:] == ["评分人数", "不适用人数"]
    first_item = [cell.value for cell in sheet[7]]
    assert first_item[4:] == [pytest.approx(0.8), pytest.approx(4.0), 2, 2]  # α, score, rated, N/A of 1.1
    rows = list(csv.DictReader(io.StringIO(files.answers_csv.decode("utf-8-sig"))))
    assert {(row["respondent"], row["rating"]) for row in rows if row["item"] == "1.1"} == {
        ("1", "5"), ("2", "3"), ("3", "NA"), ("4", "NA")}
    raw = openpyxl.load_workbook(io.BytesIO(files.workbook)).worksheets[1]
    assert [row[5] for row in raw.iter_rows(min_row=2, values_only=True)] == [5, 3, "N/A", "N/A"]
    path = tmp_path / "export.csv"
    path.write_bytes(files.answers_csv)
    rescored = CliRunner().invoke(app, ["score", "--spec", "TBSC120", "--answers", str(path), "--format", "json"])
    assert rescored.exit_code == 0, rescored.output
    data = json.loads(rescored.stdout)
    assert (data["respondents"], data["service_score"], data["ci95"]) == (3, 80.0, [72.8, 87.2])
    assert data["not_applicable"]["1.1"] == 2 and data["not_scored_respondents"] == ["4"]


async def test_an_item_nobody_rated_leaves_the_summary_undetermined_until_someone_rates_it(database, service):
    survey = await new_survey(database)
    await respond(service, survey, 11, ratings(5, i3_2=NA))
    await respond(service, survey, 12, ratings(5, i3_2=NA))
    summary = await build_summary(database.sessions, CATALOG, survey)
    scores = summary.scores
    assert scores.service_score is None and scores.grade is None and scores.interval is None
    assert scores.unrated == ("3.2",) and scores.responses_to_determine == 1
    text = summary_screen(summary, "en", None).text
    assert "Service score undetermined: nobody has rated item(s) 3.2 yet" in text
    assert "At least 1 more submitted response(s) rating each of them would determine it" in text
    assert "3. " in text and "undetermined / 15 (not rated yet: 3.2)" in text
    zh = summary_screen(summary, "zh", None).text
    assert "服务特性测评得分未确定：测评项 3.2 尚无人评分" in zh
    files = await build_export(database.sessions, CATALOG, survey, "en", NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(files.workbook)).worksheets[0]
    score_row = next(row for row in sheet.iter_rows(values_only=True) if str(row[0]).startswith("服务特性测评得分"))
    assert score_row[5] == "未确定\nundetermined" and "3.2" in score_row[2]

    await respond(service, survey, 13, ratings(5, i3_2=3))  # 3.2: α 0.6, score 3.0 → 95.0 + 3.0 = 98.0
    scores = (await build_summary(database.sessions, CATALOG, survey)).scores
    assert float(scores.service_score) == 98.0 and scores.unrated == () and scores.grade.zh == "五星级"
