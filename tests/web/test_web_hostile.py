"""Hostile and unlucky requests to the survey page: each gets a clear page and nothing is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import text

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage import Database, SurveyRecord, SurveyStatus

from .pages import Phone
from .test_web_survey import rows


async def at_question(phone: Callable[..., Phone], survey: SurveyRecord, answered: int) -> Phone:
    customer = phone("en")
    await customer.get(f"/s/{survey.code}")
    await customer.press("start")
    for _ in range(answered):
        await customer.press("r:4")
    return customer


async def stored(database: Database) -> tuple[object, ...]:
    """Everything a step may change: positions, answers, submissions."""
    return (tuple(await rows(database, "SELECT id, position, reviewing, comment, submitted_at FROM respondent")),
            tuple(await rows(database, "SELECT respondent_id, item_code, rating FROM answer ORDER BY id")))


async def test_a_form_without_or_with_a_wrong_csrf_token_changes_nothing(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = await at_question(phone, survey, 2)
    before = await stored(database)
    for csrf in ("", "0" * 64, "not-a-token"):
        refused = await customer.press("r:5", follow=False, csrf=csrf)
        assert refused.status == 403
        assert refused.page.h1 == "Page out of date" and f"/s/{survey.code}" in refused.page.links
    assert await stored(database) == before

    other = phone("en")  # a page of another browser carries its own token, not this one's
    await other.get(f"/s/{survey.code}")
    foreign = other.last.page.forms[0]["fields"]["csrf"]
    assert (await customer.press("r:5", follow=False, csrf=foreign)).status == 403
    assert await stored(database) == before


async def test_a_post_without_the_cookie_is_refused_and_nobody_joins(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = phone("en")
    await customer.get(f"/s/{survey.code}")
    customer.session.cookie_jar.clear()
    refused = await customer.press("start", follow=False)
    assert refused.status == 403 and refused.page.h1 == "Cookies needed"
    assert await rows(database, "SELECT id FROM respondent") == []


async def test_actions_the_page_does_not_offer_are_refused_with_a_clear_page(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = await at_question(phone, survey, 3)
    before = await stored(database)
    for action in ("r:9", "r:0", "r:", "go:3", "submit", "comment", "send", "view", "lang:fr", "x" * 300,
                   "r:4|a|1", "start", "<script>"):
        refused = await customer.press("r:1", follow=False, b=action)
        assert refused.status == 400, action
        assert refused.page.h1 == "Choice not available", action
        assert "<script>" not in refused.html
    assert await stored(database) == before
    assert "4 / 19" in (await customer.get(f"/s/{survey.code}")).page.text


async def test_forged_item_codes_and_positions_change_nothing(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = await at_question(phone, survey, 19)
    assert customer.last.page.h1 == "Check your answers"
    before = await stored(database)
    for action in ("go:19", "go:99", "go:-1", "go:1.1", "go:"):
        assert (await customer.press("go:0", follow=False, b=action)).status == 400, action
    # a position the customer is not at: the dialogue shows where they are, with a note
    moved = await customer.press("go:0", p="q:7")
    assert moved.page.h1 == "Check your answers" and "older screen" in moved.page.note
    moved = await customer.press("go:0", p="q:999")
    assert moved.page.h1 == "Check your answers"
    assert await stored(database) == before


async def test_a_replayed_submit_or_answer_after_submitting_changes_and_counts_nothing(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = await at_question(phone, survey, 19)
    review_form = customer.last.page.form_of("submit")
    question_form = None
    assert (await customer.press("submit")).page.h1 == "Thank you"
    after = await stored(database)
    counts = await rows(database, "SELECT sum(respondents) FROM item_rating_count")
    replay = await customer.post(review_form["action"], {**review_form["fields"], "b": "submit"})
    assert replay.status == 303
    assert (await customer.get(replay.location)).page.h1 == "Thank you"
    late = await customer.post(review_form["action"], {**review_form["fields"], "b": "r:1", "p": "q:0"})
    page = (await customer.get(late.location)).page
    assert "already submitted" in page.note and page.h1 == "Thank you"
    assert question_form is None
    assert await stored(database) == after
    assert await rows(database, "SELECT sum(respondents) FROM item_rating_count") == counts == [(19,)]


async def test_a_tampered_cookie_gets_a_clear_page_and_a_fresh_cookie_and_reaches_nobody_else(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    owner = await at_question(phone, survey, 5)
    before = await stored(database)
    token = next(cookie.value for cookie in owner.session.cookie_jar if cookie.key == "surveybot")

    tamperer = phone("en")
    for forged in (token[:-1], token + "A", "../../etc", "x" * 4000):
        tamperer.session.cookie_jar.clear()
        tamperer.session.cookie_jar.update_cookies({"surveybot": forged})
        answer = await tamperer.get(f"/s/{survey.code}")
        assert answer.status == 400 and answer.page.h1 == "Please start again", forged[:10]
        assert "surveybot=" in answer.headers["Set-Cookie"]
    tamperer.session.cookie_jar.clear()
    tamperer.session.cookie_jar.update_cookies({"surveybot": token[:-1] + ("A" if token[-1] != "A" else "B")})
    page = (await tamperer.get(f"/s/{survey.code}")).page  # well-formed, unknown: a newcomer
    assert page.h1 == "Customer survey" and "6 / 19" not in page.text
    assert await stored(database) == before


async def test_a_huge_comment_is_refused_with_the_limit_and_the_text_is_kept(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = await at_question(phone, survey, 19)
    await customer.press("comment")
    long_text = "服务很好，" * 300  # 1500 characters
    refused = await customer.press("send", text=long_text)
    assert refused.status == 422
    assert "1,500 characters; the limit is 1,000" in refused.page.note
    assert refused.page.textarea == long_text
    assert (await rows(database, "SELECT comment FROM respondent")) == [(None,)]
    empty = await customer.press("send", text="   ")
    assert empty.status == 422 and empty.page.h1 == "Your comment"

    too_large = await customer.press("send", follow=False, text="x" * 400_000)
    assert too_large.status == 413 and too_large.page.h1 == "Too much text"
    saved = await customer.press("send", text=long_text[:1000])
    assert saved.page.h1 == "Check your answers"
    assert (await rows(database, "SELECT comment FROM respondent")) == [(long_text[:1000].strip(),)]


async def test_a_flood_from_one_address_gets_a_clear_429_page(
        serve: Callable[..., object], phone: Callable[..., Phone], survey: SurveyRecord,
        web_settings: Settings) -> None:
    limited = await serve(web_settings.model_copy(update={"web_rate_per_minute": 20}))  # type: ignore[misc]
    flooder = phone("en", base=limited)
    statuses = [(await flooder.get(f"/s/{survey.code}")).status for _ in range(8)]
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429
    flood = flooder.last
    assert flood.page.h1 == "Too many requests" and int(flood.headers["Retry-After"]) >= 1
    assert flood.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_closed_survey_and_one_not_yet_open_show_the_dialogues_notice(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    started = await at_question(phone, survey, 2)
    submitted = await at_question(phone, survey, 19)
    await submitted.press("submit")
    newcomer = phone("en")
    welcome = await newcomer.get(f"/s/{survey.code}")
    started_page = started.last
    await storage.set_status(database.sessions, survey.id, SurveyStatus.CLOSED)

    for customer in (started, newcomer):
        page = (await customer.get(f"/s/{survey.code}")).page
        assert page.h1 == "Survey closed" and "no longer takes answers" in page.text
    newcomer.last, started.last = welcome, started_page  # pages shown before the survey closed
    refused = await newcomer.press("start", follow=False)
    assert refused.status == 403 and refused.page.h1 == "Survey closed"
    refused = await started.press("r:5", follow=False)
    assert refused.status == 403 and refused.page.h1 == "Survey closed"
    assert (await submitted.get(f"/s/{survey.code}")).page.h1 == "Thank you"
    assert len(await rows(database, "SELECT id FROM respondent")) == 2

    later = await storage.create_survey(database.sessions, spec_id="TBSC120", organization="Org",
                                        timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC),
                                        opens_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    page = (await phone("en").get(f"/s/{later.code}")).page
    assert page.h1 == "Survey not open yet" and "opens on" in page.text


async def test_unknown_codes_links_and_paths_get_a_clear_not_found_page(phone: Callable[..., Phone]) -> None:
    visitor = phone("en")
    for path in ("/s/NOSUCHCODE", "/s/" + "a" * 65, "/s/%3Cscript%3E", "/p/NOSUCHLINK", "/p/" + "A" * 43,
                 "/nowhere", "/s/"):
        answer = await visitor.get(path)
        assert answer.status == 404, path
        assert answer.page.h1 in ("Link not valid", "Page not found"), path
        assert "<script>" not in answer.html


async def test_no_page_shows_a_telegram_id_or_a_token(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    telegram_user = 5_123_456_789
    await storage.join(database.sessions, survey.id, telegram_user, telegram_user, "en", dt.datetime.now(dt.UTC))
    customer = await at_question(phone, survey, 19)
    html = customer.last.html + (await customer.press("submit")).html
    async with database.sessions() as session:
        hashes = [row[0] for row in await session.execute(text("SELECT token_hash FROM web_respondent"))]
    token = next(cookie.value for cookie in customer.session.cookie_jar if cookie.key == "surveybot")
    for secret in (str(telegram_user), token, *hashes):
        assert secret not in html
