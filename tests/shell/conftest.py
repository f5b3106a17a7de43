"""The shell ring: each framework's Messenger, and what runs over it, against the fake Bot API.

`messenger`: a Messenger of each framework (every test using it runs once with aiogram, once with
python-telegram-bot), made by the bot's own factory and pointed at the fake server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakebot import TEST_BOT_TOKEN, FakeTelegramServer

from bot.adapters.settings import Settings
from bot.services.ports import Messenger
from bot.telegram_aiogram.client import create_bot
from bot.telegram_aiogram.messenger import AiogramMessenger
from bot.telegram_ptb.client import create_ptb_bot
from bot.telegram_ptb.messenger import PtbMessenger


@pytest.fixture(params=["aiogram", "ptb"])
async def messenger(request: pytest.FixtureRequest, telegram: FakeTelegramServer) -> AsyncIterator[Messenger]:
    if request.param == "aiogram":
        bot = create_bot(Settings(bot_token=TEST_BOT_TOKEN, telegram_api_url=telegram.url))
        yield AiogramMessenger(bot)
        await bot.session.close()
    else:
        async with create_ptb_bot(TEST_BOT_TOKEN, telegram.url) as ptb_bot:
            yield PtbMessenger(ptb_bot)
