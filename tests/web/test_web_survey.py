"""The survey page over HTTP (aiohttp TestServer, the test database): POST-redirect-GET, the cookie,
resuming, language, the security headers and the size of every kind of page."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from bot.adapters.storage import Database, SurveyRecord

from .pages import Phone

MAX_PAGE_BYTES = 30 * 1024


async def rows(database: Database, sql: str, **params: object) -> list[tuple[object, ...]]:
    async with database.sessions() as session:
        return [tuple(row) for row in await session.execute(text(sql), params)]


async def test_the_welcome_page_stores_nothing_and_gives_the_browser_an_httponly_lax_cookie(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = phone("en")
    answer = await customer.get(f"/s/{survey.code}")
    assert answer.status == 200
    page = answer.page
    assert page.lang == "en" and page.h1 == "Customer survey"
    assert "城市管家公司" in page.text and "Smart City Steward Service" in page.text
    assert "CTS TBSC120-2026" in page.text and "3 minutes" in page.text and "cookie" in page.text
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert await rows(database, "SELECT id FROM respondent") == []
    assert await rows(database, "SELECT * FROM web_respondent") == []


async def test_a_customer_answers_every_question_by_post_redirect_get_goes_back_changes_one_and_submits(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = phone("en")
    await customer.get(f"/s/{survey.code}")
    form = customer.last.page.form_of("start")
    posted = await customer.post(form["action"], {**form["fields"], "b": "start"})
    assert posted.status == 303 and posted.location == f"/s/{survey.code}"
    page = (await customer.get(posted.location)).page
    assert page.h1 == "Question 1 of 19" and "1 / 19" in page.text
    assert [action for _, action in page.buttons] == ["lang:zh", "r:1", "r:2", "r:3", "r:4", "r:5", "r:na", "back"]

    await customer.press("r:4")
    await customer.press("r:2")
    assert "3 / 19" in customer.last.page.text
    await customer.press("back")
    assert "2 / 19" in customer.last.page.text and "✓ 2" in customer.last.page.text
    await customer.press("r:5")
    review = await customer.answer_all(4, start=False)
    assert review.page.h1 == "Check your answers"
    assert "2. Functionality · Equipment and facilities — 5 " in review.page.text

    await customer.press("go:0")
    assert customer.last.page.h1 == "Question 1 of 19"
    await customer.press("r:3")
    assert customer.last.page.h1 == "Check your answers"
    await customer.press("comment")
    assert customer.last.page.textarea == ""
    await customer.press("send", text="  Friendly staff.  ")
    assert customer.last.page.note == "Thank you, your comment is saved."
    thanks = await customer.press("submit")
    assert thanks.page.h1 == "Thank you" and "submitted" in thanks.page.text

    respondent = await rows(database, "SELECT id, channel, telegram_user_id, chat_id, comment, submitted_at "
                                      "FROM respondent")
    assert len(respondent) == 1
    respondent_id, channel, user, chat, comment, submitted_at = respondent[0]
    assert (channel, user, chat, comment) == ("web", None, None, "Friendly staff.")
    assert submitted_at is not None
    answers = dict(await rows(database, "SELECT item_code, rating FROM answer WHERE respondent_id = :id",
                              id=respondent_id))
    assert len(answers) == 19 and answers["1.1"] == 3 and answers["1.2"] == 5 and answers["1.3"] == 4

    again = await customer.get(f"/s/{survey.code}")
    assert again.page.h1 == "Thank you"
    listed = await customer.press("view")
    assert "Your submitted answers" in listed.page.text and "Friendly staff." in listed.page.text
    assert (await customer.press("done")).page.h1 == "Thank you"


async def test_a_customer_who_leaves_and_comes_back_with_the_same_cookie_continues_at_the_same_question(
        phone: Callable[..., Phone], survey: SurveyRecord) -> None:
    first_visit = phone("zh")
    await first_visit.get(f"/s/{survey.code}")
    await first_visit.press("start")
    for rating in (5, 4, 3, 2, 1, 5):
        await first_visit.press(f"r:{rating}")
    assert "7 / 19" in first_visit.last.page.text

    later = phone("zh")  # another browser session, the same cookie
    later.session.cookie_jar.update_cookies(
        {cookie.key: cookie.value for cookie in first_visit.session.cookie_jar})
    page = (await later.get(f"/s/{survey.code}")).page
    assert "7 / 19" in page.text and page.lang == "zh-Hans"
    assert page.h1 == "第 7 题（共 19 题）"

    stranger = phone("zh")
    assert (await stranger.get(f"/s/{survey.code}")).page.h1 == "顾客问卷"


async def test_the_language_follows_accept_language_and_switches_on_the_page(
        phone: Callable[..., Phone], survey: SurveyRecord) -> None:
    chinese = phone("zh-CN,zh;q=0.9,en;q=0.8")
    assert (await chinese.get(f"/s/{survey.code}")).page.lang == "zh-Hans"
    english = phone("fr-FR,en;q=0.5,zh;q=0.2")
    assert (await english.get(f"/s/{survey.code}")).page.lang == "en"
    unknown = phone("fr")
    assert (await unknown.get(f"/s/{survey.code}")).page.lang == "zh-Hans"  # DEFAULT_LANGUAGE

    await english.press("start")
    await english.press("lang:zh")
    page = english.last.page
    assert page.lang == "zh-Hans" and page.h1 == "第 1 题（共 19 题）"
    assert [label for label, action in page.buttons if action.startswith("lang:")] == ["English"]
    await english.press("English")
    assert english.last.page.lang == "en"


async def test_every_response_carries_the_security_headers_and_pages_are_not_cached(
        phone: Callable[..., Phone], survey: SurveyRecord) -> None:
    customer = phone("en")
    for path in (f"/s/{survey.code}", "/s/NOSUCHCODE", "/nowhere", "/static/site.css"):
        answer = await customer.get(path)
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "style-src 'self'" in csp and "script" not in csp, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["Referrer-Policy"] == "no-referrer", path
    assert answer.headers["Content-Type"].startswith("text/css")
    page = await customer.get(f"/s/{survey.code}")
    assert page.headers["Cache-Control"] == "no-store"
    assert "<script" not in page.html and "style=" not in page.html and "<style" not in page.html
    assert "http://" not in page.html and "https://" not in page.html  # no external host


async def test_every_kind_of_page_is_under_30_kb_and_holds_no_token(
        phone: Callable[..., Phone], survey: SurveyRecord, database: Database) -> None:
    customer = phone("zh")
    pages = [await customer.get(f"/s/{survey.code}")]
    pages.append(await customer.press("start"))
    pages.append(await customer.answer_all(5, start=False))
    pages.append(await customer.press("comment"))
    pages.append(await customer.press("send", text="很好" * 400))
    pages.append(await customer.press("submit"))
    pages.append(await customer.press("view"))
    pages.append(await customer.get("/s/NOSUCHCODE"))
    token = next(cookie.value for cookie in customer.session.cookie_jar if cookie.key == "surveybot")
    (token_hash,) = (await rows(database, "SELECT token_hash FROM web_respondent"))[0]
    for answer in pages:
        assert answer.status in (200, 404)
        assert len(answer.html.encode()) < MAX_PAGE_BYTES, answer.page.h1
        assert token not in answer.html and str(token_hash) not in answer.html
    assert max(len(answer.html.encode()) for answer in pages) < 10 * 1024
