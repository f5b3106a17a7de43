"""The operator's first hour: a bot started without ADMIN_IDS prints a one-time link; the operator
opens it in Telegram, becomes the administrator and creates a survey without typing any id."""

from __future__ import annotations

import re

from fakebot import FakeUser


async def test_the_operator_claims_the_bot_by_the_printed_link_and_creates_a_survey(bot_process, telegram):
    bot = await bot_process(ADMIN_IDS="")
    await telegram.wait_until(lambda: "start=admin_" in bot.log_text() or None, timeout=10)
    payload = re.search(r"https://t\.me/audit_survey_bot\?start=(admin_[A-Za-z0-9_-]+)", bot.log_text()).group(1)

    operator = FakeUser(telegram, 880001, "Olga", "en")
    await operator.send(f"/start {payload}")
    assert (await operator.wait_reply()).startswith("You are now the administrator of this bot.")
    await operator.send("/newsurvey")
    await operator.wait_reply()
    assert any("TBSC120" in label for label in operator.screen().labels)

    stranger = FakeUser(telegram, 880002, "Sam", "en")
    await stranger.send(f"/start {payload}")
    assert "no longer valid" in await stranger.wait_reply()
