"""Real browsers on the real server: headless Chromium (Debian's) in a phone-sized window, driven by
Selenium, against `surveybot web` in a process of its own on the test database. With JavaScript on
and off: the page needs none. axe-core (the copy axe-selenium-python ships, read from disk) checks
every kind of page for serious and critical accessibility violations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.adapters.storage import Database, SurveyRecord
from bot.services.personal_links import issue_links
from specs import load_catalog

from .browser import Tab, WebServer, browser_missing, make_driver
from .pages import parse

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


@pytest.fixture
def web_server(database: Database, database_url: str, tmp_path: Path) -> Iterator[WebServer]:
    server = WebServer(database_url, tmp_path).start()
    yield server
    server.stop()


def javascript_runs(driver) -> bool:  # noqa: ANN001
    driver.get("data:text/html,<title>off</title><script>document.title='on'</script>")
    return driver.title == "on"


async def stored_responses(database: Database) -> list[tuple[object, ...]]:
    async with database.sessions() as session:
        result = await session.execute(text(
            "SELECT respondent.number, channel, submitted_at IS NOT NULL, comment, "
            "(SELECT count(*) FROM answer WHERE respondent_id = respondent.id) "
            "FROM respondent ORDER BY number"))
        return [tuple(row) for row in result]


async def ratings(database: Database, number: int) -> dict[str, int]:
    async with database.sessions() as session:
        result = await session.execute(text(
            "SELECT item_code, rating FROM answer JOIN respondent ON respondent.id = answer.respondent_id "
            "WHERE respondent.number = :number"), {"number": number})
        return {code: rating for code, rating in result}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
async def test_customers_answer_on_a_phone_leave_come_back_submit_and_a_personal_link_is_used_once(
        javascript: bool, web_server: WebServer, survey: SurveyRecord, database: Database,
        tmp_path: Path) -> None:
    page = f"{web_server.url}/s/{survey.code}"
    driver = make_driver(tmp_path / "phone-1", javascript=javascript)
    try:
        assert javascript_runs(driver) is javascript
        tab = Tab(driver)
        tab.open(page)
        shown = parse(tab.html())
        assert shown.lang == "zh-Hans" and shown.h1 == "顾客问卷" and "城市管家公司" in shown.text
        if javascript:  # nothing wider than the phone: no sideways scrolling
            assert driver.execute_script("return document.documentElement.scrollWidth") <= 360
        tab.press("lang:en")
        assert parse(tab.html()).h1 == "Customer survey"
        tab.press("start")
        for number in range(1, 11):
            assert f"{number} / 19" in parse(tab.html()).text
            tab.press(f"r:{number % 5 + 1}")
        tab.press("back")  # question 10 again, its answer ticked
        shown = parse(tab.html())
        assert "10 / 19" in shown.text and ("✓ 1 Far below expectations", "r:1") in shown.buttons
        tab.press("r:2")
        assert "11 / 19" in parse(tab.html()).text and driver.current_url == page
    finally:
        driver.quit()

    driver = make_driver(tmp_path / "phone-1", javascript=javascript)  # the same profile: its cookie
    try:
        tab = Tab(driver)
        tab.open(page)
        shown = parse(tab.html())
        assert "11 / 19" in shown.text and shown.h1 == "Question 11 of 19"
        for _ in range(11, 20):
            tab.press("r:4")
        assert parse(tab.html()).h1 == "Check your answers"
        tab.press("go:2")
        assert parse(tab.html()).h1 == "Question 3 of 19"
        tab.press("r:5")
        tab.press("comment")
        tab.type("#comment", "Quick and friendly.")
        tab.press("send")
        assert parse(tab.html()).note == "Thank you, your comment is saved."
        tab.press("submit")
        assert parse(tab.html()).h1 == "Thank you"
        tab.open(page)
        assert parse(tab.html()).h1 == "Thank you"
    finally:
        driver.quit()

    (link,) = await issue_links(database.sessions, survey.code, 1, web_server.url, dt.datetime.now(dt.UTC))
    second = make_driver(tmp_path / "phone-2", language="en-US,en", javascript=javascript)
    try:
        tab = Tab(second)
        tab.open(link)
        assert parse(tab.html()).h1 == "Customer survey"
        tab.press("start")
        for _ in range(19):
            tab.press("r:3")
        tab.press("submit")
        assert parse(tab.html()).h1 == "Thank you"
    finally:
        second.quit()
    third = make_driver(tmp_path / "phone-3", language="en-US,en", javascript=javascript)
    try:
        tab = Tab(third)
        tab.open(link)
        shown = parse(tab.html())
        assert shown.h1 == "Link already used" and "already been used" in shown.text
    finally:
        third.quit()

    assert await stored_responses(database) == [(1, "web", True, "Quick and friendly.", 19),
                                                (2, "web", True, None, 19)]
    expected = [number % 5 + 1 for number in range(1, 10)] + [2] + [4] * 9  # question 10 changed to 2
    expected[2] = 5  # question 3 changed from the review
    codes = [item.code for item in load_catalog(None).get("TBSC120").items]  # type: ignore[union-attr]
    assert await ratings(database, 1) == dict(zip(codes, expected, strict=True))
    assert set((await ratings(database, 2)).values()) == {3}


SERIOUS = {"serious", "critical"}


def axe_violations(driver) -> list[str]:  # noqa: ANN001
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [f"{violation['id']} ({violation['impact']}): {violation['help']}"
            for violation in results["violations"] if violation["impact"] in SERIOUS]


async def test_every_kind_of_page_has_no_serious_or_critical_axe_violation(
        web_server: WebServer, survey: SurveyRecord, database: Database, tmp_path: Path) -> None:
    page = f"{web_server.url}/s/{survey.code}"
    driver = make_driver(tmp_path / "axe", language="zh-CN,zh")
    tab = Tab(driver)
    checked: dict[str, list[str]] = {}

    def check(kind: str) -> None:
        checked[kind] = axe_violations(driver)

    try:
        tab.open(page)
        check("welcome")
        tab.press("start")
        check("question")
        for _ in range(19):
            tab.press("r:4")
        check("review")
        tab.press("comment")
        check("comment")
        tab.type("#comment", "好" * 1001)
        tab.press("send")
        check("comment refused")
        tab.press("skip")
        tab.press("submit")
        check("thank-you")
        tab.press("view")
        check("submitted answers")
        tab.open(f"{web_server.url}/s/NOSUCHCODE")
        check("unknown link")
        tab.open(f"{web_server.url}/nowhere")
        check("not found")
        (link,) = await issue_links(database.sessions, survey.code, 1, web_server.url, dt.datetime.now(dt.UTC))
        tab.open(link)
        tab.press("lang:en")
        check("personal link, English")
        other = make_driver(tmp_path / "axe-2", language="en-US")
        try:
            Tab(other).open(link)
            checked["link used"] = axe_violations(other)
        finally:
            other.quit()
    finally:
        driver.quit()
    assert len(checked) == 11
    assert {kind: found for kind, found in checked.items() if found} == {}
