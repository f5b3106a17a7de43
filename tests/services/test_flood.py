"""One chat floods the bot with 500 messages in 10 s while 20 customers answer: the flooder gets at
most about 15 replies, the others are not held up, and every answer given by button is stored."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import text

from bot.adapters import storage
from bot.services.flood import ChatFloodGuard

from .conftest import ADMIN_ID


async def test_a_flooding_chat_is_answered_about_once_a_second_and_others_lose_nothing(
        app, chat, messenger):
    survey = await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Org",
                                         timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), target=10,
                                         created_by=ADMIN_ID)
    clock = [1000.0]
    app.engine.flood = ChatFloodGuard(clock=lambda: clock[0])
    flooder = chat(666)
    customers = [chat(2000 + index) for index in range(20)]

    async def flood() -> None:
        for index in range(500):
            clock[0] += 0.02  # 500 messages over 10 s
            await flooder.say(f"junk {index}")
            await asyncio.sleep(0)

    async def answer(customer) -> None:
        await customer.say(f"/start {survey.code}")
        await customer.press("Start")
        for _ in range(19):
            await customer.press(customer.labels[4])
            await asyncio.sleep(0)

    await asyncio.gather(flood(), *(answer(customer) for customer in customers))

    replies_to_flooder = [shown for shown in messenger.messages.values() if shown.chat_id == 666]
    assert 1 <= len(replies_to_flooder) <= 15
    for customer in customers:
        async with app.database.sessions() as session:
            stored = await session.scalar(text(
                "SELECT count(*) FROM answer JOIN respondent ON respondent.id = answer.respondent_id "
                "WHERE respondent.telegram_user_id = :user"), {"user": customer.user_id})
        assert stored == 19


async def test_a_lead_typing_commands_in_a_row_is_answered_every_time(app, chat):
    lead = chat(ADMIN_ID)
    for _ in range(12):
        await lead.say("/surveys")
    replies = [shown for shown in lead.messenger.messages.values() if shown.chat_id == ADMIN_ID]
    assert len(replies) == 12
