"""A bare aiogram bot that echoes every text message: proves the fake Telegram and sets a load baseline.

Run: `BOT_TOKEN=123456:TEST-echo python tests/e2e/echo_bot.py --api http://127.0.0.1:8081`
(`--api` defaults to TELEGRAM_API_URL; without either the bot would talk to the real Telegram).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def echo(message: Message) -> None:
    await message.answer(message.text or "")


def create_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.message.register(echo, F.text)
    return dispatcher


async def run(api_url: str, token: str, polling_timeout: int) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token=token, session=session)
    await create_dispatcher().start_polling(bot, polling_timeout=polling_timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default=os.environ.get("TELEGRAM_API_URL"),
                        help="base URL of the Bot API server (default: $TELEGRAM_API_URL)")
    parser.add_argument("--polling-timeout", type=int, default=10)
    options = parser.parse_args()
    token = os.environ.get("BOT_TOKEN")
    if not options.api or not token:
        parser.error("set BOT_TOKEN and --api (or TELEGRAM_API_URL)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(run(options.api, token, options.polling_timeout))


if __name__ == "__main__":
    main()
