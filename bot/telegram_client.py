"""The aiogram Bot, pointed at Telegram or at the Bot API server in TELEGRAM_API_URL."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetUpdates, SendMessage
from aiogram.methods.base import Response

from bot.settings import Settings

# aiogram parametrizes Response[...] for every API answer, and pydantic caches those classes only
# weakly: each rebuild costs about 12 ms, a fifth of the bot's CPU under load (bench/load.py --profile).
# Holding the classes of the calls made for every update keeps them cached.
_EVERY_UPDATE_RESPONSES = tuple(Response[method.__returning__] for method in (
    GetUpdates, AnswerCallbackQuery, EditMessageText, SendMessage))


def create_bot(settings: Settings) -> Bot:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/")))
    return Bot(settings.bot_token.get_secret_value(), session=session)
