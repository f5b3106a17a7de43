"""Customers answer the survey through the real bot process and a fake Telegram Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt

from fakebot import FakeUser

from bot.adapters.storage import Database
from e2e.conftest import at_first_question, fetch
from e2e.surveys import create_survey

ITEMS = 19


async def _answers(bot_database: Database) -> list[tuple[int, str, int]]:
    rows = await fetch(bot_database, "SELECT r.number, a.item_code, a.rating FROM answer a "
                                     "JOIN respondent r ON r.id = a.respondent_id")
    return sorted(rows)


async def _answer(user: FakeUser, rating: int, count: int) -> None:
    for _ in range(count):
        await user.press(f"{rating} ")
        await user.wait_reply()


async def test_a_customer_answers_changes_an_answer_and_submits(telegram, bot_process, bot_env,
                                                              bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"], organization="南昌城管")
    await bot_process()
    alice = FakeUser(telegram, 700001, "Alice", "en")
    await alice.send(f"/start {survey.code}")
    welcome = await alice.wait_reply()
    assert "南昌城管" in welcome and "19" in welcome and "anonymous" in welcome.lower()
    await alice.press("Start")
    first = await alice.wait_reply()
    assert "1/19" in first and len([b for b in alice.screen().labels if b[0] in "12345"]) == 5
    await _answer(alice, 4, 2)
    await alice.press("Back")
    back = await alice.wait_reply()
    assert "2/19" in back and "✓" in " ".join(alice.screen().labels)
    await _answer(alice, 5, ITEMS - 1)  # answers 2 again, then 3..19
    review = alice.screen().text
    assert "1. Functionality · Personnel — 4 " in review and "19. Service Specification" in review
    await alice.press("1")  # the review's button of question 1
    await alice.wait_reply()
    await _answer(alice, 2, 1)  # change 1.1 from 4 to 2: back at the review
    assert "Submit" in " ".join(alice.screen().labels)
    await alice.press("Submit")
    thanks = await alice.wait_reply()
    assert "thank" in thanks.lower()
    stored = await _answers(bot_database)
    assert len(stored) == ITEMS
    assert dict((code, rating) for _, code, rating in stored)["1.1"] == 2
    assert all(rating == 5 for _, code, rating in stored if code != "1.1")
    await alice.send(f"/start {survey.code}")
    again = await alice.wait_reply()
    assert "already" in again.lower()


async def test_restart_in_the_middle_resumes_at_the_first_unanswered_question(telegram, bot_process, bot_env,
                                                                              bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"])
    bot = await bot_process()
    bob = FakeUser(telegram, 700002, "Bob", "zh-hans")
    await bob.send(f"/start {survey.code}")
    assert "19" in await bob.wait_reply()
    await bob.press("开始")
    await bob.wait_reply()
    await _answer(bob, 3, 5)
    await bot.restart()
    await bob.send("你好")
    resumed = await bob.wait_reply()
    assert "6/19" in resumed and "5" in resumed
    assert len(await _answers(bot_database)) == 5


async def test_double_tap_and_stale_buttons_store_once(telegram, bot_process, bot_env, bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"])
    await bot_process()
    carol = await at_first_question(telegram, 700003, "Carol", survey.code)
    question = carol.screen()
    data = [b for row in telegram.latest_bot_message(700003, with_keyboard=True).reply_markup
            ["inline_keyboard"] for b in row][3]["callback_data"]
    same_tap = question.message_id, data
    await asyncio.gather(carol.press_data(*same_tap), carol.press_data(*same_tap))
    await carol.wait_quiet()
    assert "2/19" in carol.screen().text
    assert await _answers(bot_database) == [(1, "1.1", 4)]


async def test_hostile_inputs_get_friendly_replies(telegram, bot_process, bot_env, bot_database):
    closed = await create_survey(bot_env["DATABASE_URL"], status="closed")
    later = await create_survey(bot_env["DATABASE_URL"], opens_in=dt.timedelta(days=3))
    await bot_process()
    dave = FakeUser(telegram, 700004, "Dave", "en")
    await dave.send("/start nosuchcode")
    assert "not valid" in await dave.wait_reply()
    await dave.send("/start " + "x" * 80)
    assert "not valid" in await dave.wait_reply()
    await dave.send(f"/start {closed.code}")
    assert "closed" in await dave.wait_reply()
    await dave.send(f"/start {later.code}")
    assert "opens on" in await dave.wait_reply()
    await dave.send("hello")
    assert "invite link" in await dave.wait_reply()
    sent = dave.screen().message_id
    await dave.press_data(sent, "a|999|q:0|r:5")
    assert "no longer valid" in (await dave.wait_callback_answer() or "")
    await dave.press_data(sent, "garbage-data")
    assert "no longer valid" in (await dave.wait_callback_answer() or "")
    assert await _answers(bot_database) == []
    assert await fetch(bot_database, "SELECT count(*) FROM respondent") == [(0,)]


async def test_a_customer_answers_not_applicable_by_button_and_by_typing(telegram, bot_process, bot_env,
                                                                       bot_database):
    survey = await create_survey(bot_env["DATABASE_URL"])
    await bot_process()
    erin = await at_first_question(telegram, 700005, "Erin", survey.code)
    labels = erin.screen().labels
    assert "Not applicable / did not experience it" in labels and labels.index("« Back") == 6
    await erin.press("Not applicable")
    assert "2/19" in await erin.wait_reply()
    await erin.send("NA")  # typed, like a typed 1-5
    assert "3/19" in await erin.wait_reply()
    await erin.wait_quiet()  # the question before loses its buttons just after
    await _answer(erin, 4, ITEMS - 2)
    review = erin.screen().text
    assert "1. Functionality · Personnel — N/A (not applicable)" in review
    await erin.press("Submit")
    assert "thank" in (await erin.wait_reply()).lower()
    stored = await _answers(bot_database)
    assert len(stored) == ITEMS
    assert [rating for _, code, rating in stored if code in ("1.1", "1.2")] == [None, None]
    assert all(rating == 4 for _, code, rating in stored if code not in ("1.1", "1.2"))
