"""The export streams its rows: a survey of a few hundred responses, seeded straight into the tables as
submission stores them (answers, counts, seals), exported by the lead's /export and by `surveybot export`.

Seed (respondent n = 1..N): Telegram, except every 20th from the web page and every 50th on paper;
joined at START + n minutes and submitted 10 minutes later; item i (0-based, spec order) rated
(n + i) % 5 + 1, except that every 7th respondent answers item 1.2 "not applicable" and every 11th
leaves item 7 unanswered; every 10th leaves a comment "意见 n".
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import io
import time
import zipfile

import openpyxl
import pytest
from sqlalchemy import Connection, insert
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage import Database, SurveyRecord
from bot.adapters.storage.audit import seal_response
from bot.adapters.storage.engine import in_one_go
from bot.adapters.storage.export_rows import export_chunks
from bot.adapters.storage.tables import Answer, Respondent
from bot.adapters.storage.tallies import count_answers
from bot.cli import app
from bot.services import audit, lead_reports, survey_export
from bot.services.survey_export import build_export
from specs import load_catalog

CATALOG = load_catalog()
SPEC = CATALOG.get("TBSC120")
ITEMS = [item.code for item in SPEC.items]
START = dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
LEAD = 777
RESPONDENTS = 300


def channel(n: int) -> str:
    return "paper" if n % 50 == 0 else "web" if n % 20 == 0 else "telegram"


def ratings(n: int) -> dict[str, int | None]:
    """Respondent n's answers by item code (None: "not applicable"; an absent item: unanswered)."""
    answers: dict[str, int | None] = {code: (n + index) % 5 + 1 for index, code in enumerate(ITEMS)}
    if n % 7 == 0:
        answers["1.2"] = None
    if n % 11 == 0:
        del answers["7"]
    return answers


def _seed(connection: Connection, survey_id: int, respondents: int) -> None:
    for n in range(1, respondents + 1):
        joined = START + dt.timedelta(minutes=n)
        telegram = channel(n) == "telegram"
        respondent_id = connection.execute(insert(Respondent.__table__).returning(Respondent.__table__.c.id), {
            "survey_id": survey_id, "number": n, "telegram_user_id": 10_000 + n if telegram else None,
            "chat_id": 10_000 + n if telegram else None, "channel": channel(n), "language": "zh",
            "position": "done", "reviewing": False, "joined_at": joined, "last_active_at": joined,
            "submitted_at": joined + dt.timedelta(minutes=10), "reminder_count": 0, "unreachable": False,
            "comment": f"意见 {n}" if n % 10 == 0 else None}).scalar_one()
        connection.execute(insert(Answer.__table__), [
            {"respondent_id": respondent_id, "item_code": code, "rating": rating, "answered_at": joined}
            for code, rating in ratings(n).items()])
        count_answers(connection, respondent_id)  # what submitting does
        seal_response(connection, respondent_id)


@pytest.fixture
async def survey(database: Database) -> SurveyRecord:
    created = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="南昌城管",
                                          timezone="Asia/Shanghai", now=START, created_by=LEAD)
    await in_one_go(database.sessions, _seed, created.id, RESPONDENTS)
    return created


def expected_raw_row(n: int) -> list[object]:
    """Respondent n's row of the raw answers sheet (en): times in Shanghai time."""
    joined = (START + dt.timedelta(minutes=n, hours=8)).replace(tzinfo=None)
    telegram = channel(n) == "telegram"
    label = {"telegram": "Telegram", "web": "web page", "paper": "Paper"}[channel(n)]
    answers = ratings(n)
    cells = [("N/A" if answers[code] is None else answers[code]) if code in answers else None for code in ITEMS]
    return [n, label, joined if telegram else None, joined + dt.timedelta(minutes=10), 10 if telegram else None,
            *cells]


def raw_sheet_rows(workbook: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Raw answers"]
    return [list(row[:5 + len(ITEMS)]) for row in sheet.iter_rows(min_row=2, values_only=True)]


def comment_rows(workbook: bytes) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(io.BytesIO(workbook))["Comments"].iter_rows(min_row=2, values_only=True))


def csv_lines(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def test_the_leads_export_holds_every_response_and_reports_its_progress(survey, chat, messenger, database,
                                                                             monkeypatch):
    # chunks of 64: 300 respondents cross four chunk boundaries
    monkeypatch.setattr(survey_export, "export_chunks", functools.partial(export_chunks, chunk_respondents=64))
    lead = chat(LEAD, "en")

    await lead.say(f"/export {survey.code}")

    progress = [shown.text for shown in messenger.messages.values()
                if shown.chat_id == LEAD and shown.text.startswith("Preparing the workbook")]
    assert progress == ["Preparing the workbook… 100 %"]  # one message, edited in place
    files = {name: content for chat_id, name, content in messenger.files if chat_id == LEAD}
    workbook = next(content for name, content in files.items() if name.endswith(".xlsx"))
    answers = next(content for name, content in files.items() if name.endswith(".csv"))
    assert raw_sheet_rows(workbook) == [expected_raw_row(n) for n in range(1, RESPONDENTS + 1)]
    assert comment_rows(workbook) == [(n, f"意见 {n}") for n in range(10, RESPONDENTS + 1, 10)]
    lines = csv_lines(answers)
    # 19 lines a respondent, less item 7 for every 11th (27 of 300)
    assert len(lines) == 1 + 19 * RESPONDENTS - RESPONDENTS // 11
    assert lines[1] == ["1", "1.1", "2", "telegram", "2026-05-04T09:11:00+08:00"]
    assert ["7", "1.2", "NA", "telegram", "2026-05-04T09:17:00+08:00"] in lines
    assert ["20", "1.1", "1", "web", "2026-05-04T09:30:00+08:00"] in lines
    assert not any(line[:2] == ["11", "7"] for line in lines)
    entry = (await audit.trail(database.sessions, survey.id))[-1]
    assert (entry.who, entry.action, entry.details) == (str(LEAD), "exported",
                                                        {"formats": ["xlsx", "csv"], "respondents": RESPONDENTS})


async def test_a_csv_too_large_for_telegram_reaches_the_lead_zipped(survey, chat, messenger, database, monkeypatch):
    unzipped = (await build_export(database.sessions, CATALOG, survey, "en", START)).answers_csv
    monkeypatch.setattr(lead_reports, "TELEGRAM_UPLOAD_LIMIT", len(unzipped) - 1)

    await chat(LEAD, "en").say(f"/export {survey.code}")

    names = [name for chat_id, name, _content in messenger.files if chat_id == LEAD]
    stem = names[0].removesuffix(".xlsx")
    assert names == [f"{stem}.xlsx", f"{stem}.csv.zip"]
    with zipfile.ZipFile(io.BytesIO(messenger.files[-1][2])) as archive:
        assert archive.namelist() == [f"{stem}.csv"]
        assert archive.read(f"{stem}.csv") == unzipped


async def test_a_large_export_is_written_by_a_process_of_its_own_with_the_same_content(survey, database,
                                                                                      monkeypatch):
    by_thread = await build_export(database.sessions, CATALOG, survey, "en", START)
    monkeypatch.setattr(survey_export, "IN_A_PROCESS_FROM", 100)
    ticks: list[float] = []
    heard: list[int] = []

    async def tick() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    async def progress(percent: int) -> None:
        heard.append(percent)

    ticking = asyncio.create_task(tick())
    by_process = await build_export(database.sessions, CATALOG, survey, "en", START, progress)
    ticking.cancel()

    assert by_process.respondents == RESPONDENTS
    assert by_process.answers_csv == by_thread.answers_csv
    assert raw_sheet_rows(by_process.workbook) == raw_sheet_rows(by_thread.workbook)
    assert comment_rows(by_process.workbook) == comment_rows(by_thread.workbook)
    assert heard[-1] == 100 and heard == sorted(heard)
    # the event loop kept running while the process worked (starting it alone takes a second or more)
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 50 and max(gaps) < 0.5


async def test_surveybot_export_writes_both_files_and_records_the_export(survey, database, database_url,
                                                                        monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", database_url)
    target, answers = tmp_path / "out.xlsx", tmp_path / "out.csv"
    arguments = ["export", survey.code, "-o", str(target), "--csv", str(answers), "--lang", "en"]

    result = await asyncio.to_thread(CliRunner().invoke, app, arguments)  # the CLI runs its own event loop

    assert result.exit_code == 0, result.output
    assert raw_sheet_rows(target.read_bytes())[-1] == expected_raw_row(RESPONDENTS)
    assert len(csv_lines(answers.read_bytes())) == 1 + 19 * RESPONDENTS - RESPONDENTS // 11
    entry = (await audit.trail(database.sessions, survey.id))[-1]
    assert (entry.who, entry.action, entry.details) == ("cli", "exported",
                                                        {"formats": ["xlsx", "csv"], "respondents": RESPONDENTS})

