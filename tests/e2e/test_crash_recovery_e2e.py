"""The bot is killed with SIGKILL while 30 customers answer at once, then started again on the same
database: nothing a customer saw acknowledged is lost, each customer continues at its first
unanswered question, no answer is stored twice, and everyone submits."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from typing import Any

from fakebot import FakeTelegramServer
from fakebot.customers import ShownScreen, SurveyCustomer, make_customers
from fakebot.server import NOT_MODIFIED
from sqlalchemy import text

from bot.adapters.storage import make_engine
from e2e.surveys import create_survey
from specs import load_catalog

CUSTOMERS = 30
ITEM_CODES = [item.code for item in load_catalog().get("TBSC120").items]
KILL_AFTER_ACKNOWLEDGED = CUSTOMERS * len(ITEM_CODES) // 3  # about a third of the way through
SILENCE = 4.0  # seconds without a reply after which a customer gives up until the bot is back
# A start of the bot takes some 5 s of CPU, most of it importing aiogram (with either framework): 7-10 s
# on a shared two-core machine, 15-25 s while other test runs load it. So starts have a deadline of
# their own, and each half of the dialogue (until the kill, after the restart) has DIALOGUE_SECONDS.
STARTUP_SECONDS = 90
DIALOGUE_SECONDS = 60


async def rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(sql))]
    finally:
        await engine.dispose()


async def stored_answers(database_url: str) -> dict[int, dict[str, int]]:
    """{telegram user id: {item code: rating}} as the database holds them."""
    found: dict[int, dict[str, int]] = {}
    for user_id, code, rating in await rows(
            database_url, "SELECT r.telegram_user_id, a.item_code, a.rating FROM answer a "
                          "JOIN respondent r ON r.id = a.respondent_id"):
        found.setdefault(user_id, {})[code] = rating
    return found


async def submitted_users(database_url: str) -> set[int]:
    return {user_id for user_id, in await rows(
        database_url, "SELECT telegram_user_id FROM respondent WHERE submitted_at IS NOT NULL")}


def first_unanswered_screens(answers: dict[str, int], submitted: bool) -> set[str]:
    """The dialogue positions a customer with these answers may be shown on coming back. One whose
    Submit was stored just before the kill, before the bot could say so, is thanked."""
    if submitted:
        return {"done"}
    missing = [index for index, code in enumerate(ITEM_CODES) if code not in answers]
    if not missing:
        return {"review"}
    if not answers:
        return {"welcome", "q:0"}  # /start shows the welcome again; a stale Start tap opens question 1
    return {f"q:{missing[0]}"}


def lost_acknowledgements(customers: list[SurveyCustomer], stored: dict[int, dict[str, int]]) -> list[str]:
    return [
        f"customer {customer.user.user_id} question {question} rated {rating}"
        for customer in customers for question, rating in customer.acknowledged.items()
        if stored.get(customer.user.user_id, {}).get(ITEM_CODES[question - 1]) != rating
    ]


async def wait_until_quiet(telegram: FakeTelegramServer, quiet: float = 1.0, timeout: float = 15) -> None:
    """Until the bot has sent and edited nothing for `quiet` seconds (updates left from before the kill
    are handled by then)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        seen = telegram.activity_seq()
        await asyncio.sleep(quiet)
        if telegram.activity_seq() == seen and not telegram.pending_updates():
            return
    raise AssertionError(f"the bot was still busy {timeout} s after its restart")


async def tap_again(customer: SurveyCustomer) -> ShownScreen | None:
    """The customer's last tap once more, from a phone still showing the screen it was on; the screen
    the customer sees then (None: the bot did not answer).

    The bot edits that message to where the customer is, with a note that the button was an older
    screen's. When the restarted bot has already done so, for the copy of this same tap that Telegram
    delivered again (the killed bot had stored its answer, not yet shown the next question), Telegram
    refuses the edit as not modified: the message stays, showing where the customer is, and no reply
    comes to wait for.
    """
    telegram, chat_id = customer.user.server, customer.user.chat_id
    edits_before = len(telegram.requests("editMessageText", chat_id=chat_id))

    def edit_refused() -> bool:
        return any(NOT_MODIFIED in str((edit.response or {}).get("description", ""))
                   for edit in telegram.requests("editMessageText", chat_id=chat_id)[edits_before:])

    tapping = asyncio.create_task(customer.retap())
    while not tapping.done() and not edit_refused():
        await asyncio.wait({tapping}, timeout=0.05)
    if not tapping.done():
        tapping.cancel()
        await asyncio.wait({tapping})
    shown = None if tapping.cancelled() else tapping.result()
    return customer.screen if shown is None and edit_refused() else shown


async def test_kill_9_while_customers_answer_loses_nothing_acknowledged(telegram, bot_process, bot_env):
    database_url = bot_env["DATABASE_URL"]
    survey = await create_survey(database_url)
    bot = await bot_process(SEND_RATE_PER_SECOND="1000", ready_timeout=STARTUP_SECONDS)
    customers = make_customers(telegram, survey.code, CUSTOMERS, reply_timeout=SILENCE)
    async with asyncio.timeout(DIALOGUE_SECONDS):
        answering = [asyncio.create_task(customer.complete()) for customer in customers]
        halfway = await telegram.wait_until(
            lambda: True if sum(len(c.acknowledged) for c in customers) >= KILL_AFTER_ACKNOWLEDGED else None,
            timeout=30)
        assert halfway, "the customers did not get a third of the way through before the kill"
        assert await bot.kill() == -signal.SIGKILL
        finished = await asyncio.gather(*answering)
        assert finished.count(True) < CUSTOMERS, "the kill came too late: every customer had submitted"

        # What the killed bot left in the database: every answer a customer saw acknowledged.
        assert lost_acknowledgements(customers, await stored_answers(database_url)) == []

    bot.start()
    await bot.wait_ready(STARTUP_SECONDS)
    async with asyncio.timeout(DIALOGUE_SECONDS):
        await wait_until_quiet(telegram)
        unfinished = [customer for customer, done in zip(customers, finished, strict=True) if not done]
        for number, customer in enumerate(unfinished):
            customer.user.reply_timeout = 15
            # Half come back with the link, half tap their last rating again on the old screen (a tap
            # on a language button that did change the screen would change nothing: no reply).
            stale_tap = number % 2 == 0 and (customer.last_action or "").startswith("r:")
            shown = await (tap_again(customer) if stale_tap else customer.open_invite())
            assert shown is not None, f"customer {customer.user.user_id} got no screen after the restart"
            answers = (await stored_answers(database_url)).get(customer.user.user_id, {})
            submitted = customer.user.user_id in await submitted_users(database_url)
            assert shown.position in first_unanswered_screens(answers, submitted), (
                f"customer {customer.user.user_id} with {len(answers)} answers stored was shown "
                f"{shown.position!r}: {shown.message.text!r}")

        resumed = await asyncio.gather(*(customer.answer_all() for customer in unfinished))
        assert all(resumed)

    stored = await stored_answers(database_url)
    assert lost_acknowledgements(customers, stored) == []
    assert {user_id: len(answers) for user_id, answers in stored.items()} == {
        customer.user.user_id: len(ITEM_CODES) for customer in customers}
    assert all(stored[customer.user.user_id] == {code: customer.rating_for(number)
                                                 for number, code in enumerate(ITEM_CODES, start=1)}
               for customer in customers)
    per_item = await rows(database_url, "SELECT respondent_id, item_code FROM answer")
    assert max(Counter(per_item).values()) == 1, "an answer is stored twice"
    respondents = await rows(database_url, "SELECT telegram_user_id, submitted_at FROM respondent")
    assert sorted(user_id for user_id, _ in respondents) == [c.user.user_id for c in customers]
    assert all(submitted_at is not None for _, submitted_at in respondents)
    assert all(customer.submitted for customer in customers)
