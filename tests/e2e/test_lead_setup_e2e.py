"""Audit leads set surveys up through the real bot process: /newsurvey, /close, /addlead, /maturity."""

from __future__ import annotations

import re

from fakebot import FakeUser

from bot.adapters.storage import Database
from e2e.conftest import ADMIN_ID, fetch
from e2e.surveys import create_survey

NOT_A_LEAD = "This command is for audit leads."


async def _surveys(bot_database: Database) -> list[tuple[str, str, str, int | None]]:
    return await fetch(bot_database, "SELECT code, organization, status, target FROM survey ORDER BY id")


async def test_admin_creates_a_survey_and_a_customer_uses_its_link(telegram, bot_process, bot_env,
                                                                   bot_database):
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send("/newsurvey")
    assert "step 1 of 4" in await lead.wait_reply()
    await lead.press("TBSC120")
    assert "step 2 of 4" in await lead.wait_reply()
    await lead.send("X")
    assert "2 to 100 characters" in await lead.wait_reply()
    await lead.send("南昌城管局")
    assert "step 3 of 4" in await lead.wait_reply()
    await lead.press("50")
    assert "step 4 of 4" in await lead.wait_reply()
    await lead.send("2020-01-01")
    assert "in the past" in await lead.wait_reply()
    await lead.press("In 2 weeks")
    confirm = await lead.wait_reply()
    assert "南昌城管局" in confirm and "50 responses" in confirm
    await lead.press("Create")
    created = await lead.wait_reply(predicate=lambda text: "Survey created" in text)
    [(code, organization, status, target)] = await _surveys(bot_database)
    assert (organization, status, target) == ("南昌城管局", "open", 50)
    assert f"https://t.me/audit_survey_bot?start={code}" in created
    await telegram.wait_until(lambda: telegram.requests("sendPhoto", chat_id=ADMIN_ID) or None, 10)
    [photo] = telegram.requests("sendPhoto", chat_id=ADMIN_ID)
    assert photo.ok and "南昌城管局" in photo.params["caption"]
    link = re.search(r"start=(\S+)", created).group(1)
    customer = FakeUser(telegram, 700101, "Cus", "en")
    await customer.send(f"/start {link}")
    welcome = await customer.wait_reply()
    assert "南昌城管局" in welcome and "19" in welcome


async def test_cancel_and_stale_buttons_of_newsurvey(telegram, bot_process, bot_env, bot_database):
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send("/newsurvey")
    await lead.wait_reply()
    first = lead.screen().message_id
    await lead.send("/cancel")
    assert "cancelled" in await lead.wait_reply()
    await lead.press_data(first, lead_button_data(telegram, first, "TBSC120"))
    assert "has ended" in (await lead.wait_callback_answer() or "")
    assert await _surveys(bot_database) == []


def lead_button_data(telegram, message_id: int, label: str) -> str:
    message = telegram.message(ADMIN_ID, message_id)
    return next(button["callback_data"] for button in message.buttons if label in button["text"])


async def test_close_refuses_customers_and_a_co_lead_link_works_once(telegram, bot_process, bot_env,
                                                                     bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"], organization="Org A", created_by=ADMIN_ID)
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send(f"/addlead {survey.code}")
    invite = await lead.wait_reply()
    link = re.search(r"start=(lead_\S+)", invite).group(1)
    colead = FakeUser(telegram, 800002, "Co", "en")
    await colead.send(f"/start {link}")
    assert "co-lead" in await colead.wait_reply() and survey.code in colead.screen().text
    other = FakeUser(telegram, 800003, "Late", "en")
    await other.send(f"/start {link}")
    assert "already been used" in await other.wait_reply()
    await colead.send(f"/close {survey.code}")
    assert "Close the survey for Org A" in await colead.wait_reply()
    await colead.press("Close the survey")
    assert "now closed" in await colead.wait_reply()
    assert (await _surveys(bot_database))[0][2] == "closed"
    customer = FakeUser(telegram, 700201, "Cus", "en")
    await customer.send(f"/start {survey.code}")
    assert "closed" in await customer.wait_reply()
    await colead.send(f"/reopen {survey.code}")
    await colead.wait_reply()
    await colead.press("Reopen the survey")
    assert "open again" in await colead.wait_reply()
    await colead.send("/newsurvey")
    assert "administrators" in await colead.wait_reply()


async def test_a_non_lead_gets_one_polite_text_and_nothing_else(telegram, bot_process, bot_env, bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"], organization="Secret Org")
    await bot_process()
    stranger = FakeUser(telegram, 700301, "Eve", "en")
    for command in ("/newsurvey", f"/close {survey.code}", "/close nosuch", f"/maturity {survey.code}",
                    f"/addlead {survey.code}", f"/reopen {survey.code}"):
        await stranger.send(command)
        assert await stranger.wait_reply() == NOT_A_LEAD
        assert stranger.screen().buttons == []
    sent = stranger.screen().message_id
    for data in (f"st|{survey.id}|close", f"mt|{survey.id}|r0|l:5", "ns|abc123.spec|s:TBSC120"):
        await stranger.press_data(sent, data)
        assert await stranger.wait_callback_answer() == NOT_A_LEAD
    await stranger.wait_quiet()
    assert all("Secret Org" not in text for text in stranger.texts())
    assert (await _surveys(bot_database))[0][2] == "open"
    assert await fetch(bot_database, "SELECT count(*) FROM maturity_rating") == [(0,)]


async def test_maturity_rating_resumes_and_shows_the_result(telegram, bot_process, bot_env):
    survey = await create_survey(bot_env["DATABASE_URL"], organization="Org M")
    bot = await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send(f"/maturity {survey.code}")
    assert "1/21" in await lead.wait_reply()
    await lead.press("What do the levels mean?")
    assert "What the levels mean" in await lead.wait_reply()
    await lead.press("Back to 1.1")
    await lead.wait_reply()
    for _ in range(5):
        await lead.press("4")
        await lead.wait_reply()
    await bot.restart()
    await lead.send(f"/maturity {survey.code}")
    assert "6/21" in await lead.wait_reply()
    for _ in range(16):
        await lead.press("4")
        await lead.wait_reply()
    summary = lead.screen().text
    assert "116.0" in summary and "No submitted responses yet" in summary
    await lead.press("1.1: 4")
    await lead.wait_reply()
    await lead.press("1")
    assert "113.0" in await lead.wait_reply()  # 116.0 - 5 × (4 - 1) / 5
