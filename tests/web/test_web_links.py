"""Single-use personal links (`surveybot survey links`) and the channel's place in the survey: web
answers count in the scores like Telegram ones, web respondents are never reminded."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from answering import answer, submit
from typer.testing import CliRunner

from bot.adapters import storage
from bot.adapters.storage import Channel, Database, Sessions, SurveyRecord
from bot.adapters.storage import web as web_storage
from bot.cli import app
from bot.services.personal_links import issue_links, links_csv
from bot.services.survey_summary import build_summary
from specs import load_catalog

from .pages import Phone

BASE = "http://survey.test"


async def answer_and_submit(sessions: Sessions, respondent_id: int, rating: int, now: dt.datetime) -> None:
    for item in load_catalog(None).get("TBSC120").items:  # type: ignore[union-attr]
        assert await answer(sessions, respondent_id, item.code, rating, now)
    assert await submit(sessions, respondent_id, now)


async def test_a_personal_link_admits_one_browser_and_shows_anyone_else_already_used(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    first_link, second_link = await issue_links(database.sessions, survey.code, 2, BASE, dt.datetime.now(dt.UTC))
    assert first_link.startswith(f"{BASE}/p/") and len(first_link.rsplit("/", 1)[1]) == 43
    first_path, second_path = (link.removeprefix(BASE) for link in (first_link, second_link))

    owner, other = phone("en"), phone("en")
    assert (await owner.get(first_path)).page.h1 == "Customer survey"
    assert (await other.get(first_path)).page.h1 == "Customer survey"  # a look takes nothing
    assert await web_storage.personal_link_counts(database.sessions, survey.id) == (2, 0)
    await owner.press("start")
    assert "1 / 19" in owner.last.page.text and owner.path == first_path
    assert await web_storage.personal_link_counts(database.sessions, survey.id) == (2, 1)

    used = await other.press("start", follow=False)  # the page it loaded before the link was taken
    assert used.status == 410 and used.page.h1 == "Link already used"
    assert (await other.get(first_path)).status == 410
    await owner.answer_all(3, start=False)
    assert (await owner.press("submit")).page.h1 == "Thank you"
    assert (await owner.get(first_path)).page.h1 == "Thank you"
    assert (await other.get(first_path)).page.h1 == "Link already used"

    assert (await other.get(second_path)).page.h1 == "Customer survey"
    await other.press("start")
    assert "1 / 19" in other.last.page.text
    assert (await phone("en").get(second_path)).status == 410
    assert (await phone("en").get("/p/" + "A" * 43)).page.h1 == "Link not valid"
    channels = await web_storage.channel_counts(database.sessions, survey.id)
    assert channels == {Channel.WEB: web_storage.ChannelCount(joined=2, submitted=1)}


async def test_a_browser_that_answers_by_the_public_link_keeps_its_response_on_a_personal_link(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    (link,) = await issue_links(database.sessions, survey.code, 1, BASE, dt.datetime.now(dt.UTC))
    customer = phone("en")
    await customer.get(f"/s/{survey.code}")
    await customer.press("start")
    await customer.press("r:5")
    page = (await customer.get(link.removeprefix(BASE))).page
    assert "2 / 19" in page.text  # the same response, and the link is left for someone else
    assert await web_storage.personal_link_counts(database.sessions, survey.id) == (1, 0)


def test_survey_links_writes_a_csv_of_working_single_use_links(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "BOT_USERNAME": "audit_bot",
           "WEB_BASE_URL": "https://survey.example.org/"}
    runner = CliRunner()
    created = runner.invoke(app, ["survey", "create", "--spec", "TBSC120", "--org", "Org"], env=env)
    assert created.exit_code == 0, created.output
    assert "Web page: https://survey.example.org/s/" in created.output
    code = created.output.split("Web page: https://survey.example.org/s/")[1].split()[0]

    result = runner.invoke(app, ["survey", "links", code, "--count", "200", "--csv", "links.csv"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"200 personal links of survey {code} written to links.csv; "
                                     "each admits one response.")
    rows = list(csv.reader(io.StringIO((tmp_path / "links.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["number", "link"] and len(rows) == 201
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 201)]
    assert len({row[1] for row in rows[1:]}) == 200
    assert all(row[1].startswith("https://survey.example.org/p/") for row in rows[1:])

    unknown = runner.invoke(app, ["survey", "links", "NOSUCH", "--count", "2", "--csv", "x.csv"], env=env)
    assert unknown.exit_code == 2 and "No survey has the code 'NOSUCH'" in unknown.output
    no_base = runner.invoke(app, ["survey", "links", code, "--count", "2", "--csv", "x.csv"],
                            env={**env, "WEB_BASE_URL": ""})
    assert no_base.exit_code == 2 and "WEB_BASE_URL is not set" in no_base.output


def test_links_csv_numbers_the_links() -> None:
    assert links_csv(["https://a/p/1", "https://a/p/2"]) == "number,link\r\n1,https://a/p/1\r\n2,https://a/p/2\r\n"


async def test_web_answers_count_in_the_summary_exactly_like_telegram_answers(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    telegram = await storage.join(database.sessions, survey.id, 5_000_000_001, 5_000_000_001, "zh", now)
    await answer_and_submit(database.sessions, telegram.id, 5, now)
    customer = phone("zh")
    await customer.get(f"/s/{survey.code}")
    await customer.answer_all(3)
    await customer.press("submit")

    summary = await build_summary(database.sessions, load_catalog(None), survey)
    assert (summary.joined, summary.started, summary.submitted) == (2, 0, 2)
    histograms = await storage.item_histograms(database.sessions, survey.id)
    assert len(histograms) == 19 and all(counts == {3: 1, 5: 1} for counts in histograms.values())
    assert summary.scores is not None and summary.scores.respondents == 2
    assert float(summary.scores.service_score) == 80.0  # mean α (1.0 + 0.6) / 2 = 0.8 on every item
    assert await web_storage.channel_counts(database.sessions, survey.id) == {
        Channel.TELEGRAM: web_storage.ChannelCount(1, 1), Channel.WEB: web_storage.ChannelCount(1, 1)}


async def test_web_respondents_are_never_reminded(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    telegram = await storage.join(database.sessions, survey.id, 5_000_000_002, 5_000_000_002, "zh",
                                  now - dt.timedelta(days=3))
    customer = phone("zh")
    await customer.get(f"/s/{survey.code}")
    await customer.press("start")
    await customer.press("r:4")
    candidates = await storage.reminder_candidates(database.sessions, survey.id, None)
    assert [candidate.id for candidate in candidates] == [telegram.id]
