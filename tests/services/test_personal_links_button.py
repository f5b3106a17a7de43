"""The survey card's "Personal links" button: the lead picks how many, gets the CSV of the links and a
printable PDF of their QR codes (one A4 page per 20), each link opens the survey on the web page, and
the audit trail records the batch; without the web page set up the lead is told why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage import Database
from bot.adapters.storage import web as web_storage
from bot.app import App, assemble
from bot.services.audit import trail
from bot.services.web_survey import new_token, token_hash
from specs import load_catalog

from .conftest import ADMIN_ID, RecordingMessenger

BASE_URL = "https://survey.test"
PDF_PAGE = re.compile(rb"/Type /Page\b(?!s)")


@pytest.fixture
def web_base_url() -> str | None:
    return BASE_URL


@pytest.fixture
def app(database: Database, messenger: RecordingMessenger, web_base_url: str | None) -> App:
    settings = Settings(admin_ids=frozenset({ADMIN_ID}), bot_username="audit_survey_bot", web_base_url=web_base_url,
                        _env_file=None)
    return assemble(settings, load_catalog(None), database, messenger)


async def _card(app, chat):  # noqa: ANN202 - the lead, looking at the survey's card
    survey = await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Links Org",
                                         timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), created_by=ADMIN_ID)
    lead = chat(ADMIN_ID)
    await lead.say("/surveys")
    await lead.press("Links Org")
    return survey, lead


async def test_the_lead_picks_a_count_and_gets_that_many_links_as_csv_and_a_qr_sheet(app, chat, messenger):
    survey, lead = await _card(app, chat)
    await lead.press("Personal links")
    assert "how many?" in lead.screen.text and lead.labels == ["20", "50", "100", "200", "Back to the survey"]
    await lead.press("50")
    (_, csv_name, csv_bytes), (_, pdf_name, pdf) = [(c, n, b) for c, n, b in messenger.files if c == ADMIN_ID]
    rows = list(csv.reader(io.StringIO(csv_bytes.decode())))
    assert csv_name == f"personal-links_{survey.code}.csv" and rows[0] == ["number", "link"] and len(rows) == 51
    assert [row[0] for row in rows[1:]] == [str(number) for number in range(1, 51)]
    assert len({row[1] for row in rows[1:]}) == 50 and all(row[1].startswith(f"{BASE_URL}/p/") for row in rows[1:])
    assert pdf_name.endswith(".pdf") and pdf.startswith(b"%PDF") and len(PDF_PAGE.findall(pdf)) == 3  # 20 + 20 + 10
    token = rows[1][1].rsplit("/", 1)[1]
    visit = await web_storage.link_visit(app.database.sessions, token_hash(token), token_hash(new_token()))
    assert visit is not None and visit.survey.id == survey.id and visit.taken_by is None
    entries = [entry for entry in await trail(app.database.sessions, survey.id) if entry.action != "created"]
    assert [(entry.who, entry.action, entry.details) for entry in entries] == [
        (str(ADMIN_ID), "personal links issued", {"count": 50})]


@pytest.mark.parametrize("web_base_url", [None])
async def test_without_the_web_page_the_lead_is_told_why_and_no_link_is_issued(app, chat, messenger):
    survey, lead = await _card(app, chat)
    await lead.press("Personal links")
    assert "WEB_BASE_URL is not set" in lead.screen.text and not messenger.files
    assert await web_storage.personal_link_counts(app.database.sessions, survey.id) == (0, 0)


async def test_a_forged_count_button_for_a_survey_the_user_does_not_lead_issues_nothing(app, chat, messenger):
    survey, _lead = await _card(app, chat)
    stranger = chat(5151)
    await stranger.say("/start")
    await stranger.press_data(f"lr|links200|{survey.id}", stranger.messenger.latest(5151)[0])
    assert await web_storage.personal_link_counts(app.database.sessions, survey.id) == (0, 0)
    assert not messenger.files
