"""Run the aiogram shell: long polling, or a webhook server (bot/adapters/webhook_server.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNotFound, TelegramUnauthorizedError

from bot.adapters.lifecycle import until_stop_signal
from bot.adapters.settings import Settings
from bot.adapters.webhook_server import serve_until_stopped, webhook_application
from bot.app import App, create_app, tune_runtime_for_load
from bot.services.ports import TokenRefused
from bot.telegram_aiogram.client import create_bot
from bot.telegram_aiogram.handlers import router
from bot.telegram_aiogram.messenger import AiogramMessenger
from bot.telegram_aiogram.update_log import LogEachUpdate

log = logging.getLogger(__name__)


def create_dispatcher(app: App) -> Dispatcher:
    # disable_fsm: dialogue state lives in the database; aiogram's FSM would cost every update
    dispatcher = Dispatcher(disable_fsm=True, engine=app.engine)
    dispatcher.update.outer_middleware(LogEachUpdate())
    dispatcher.include_router(router)
    return dispatcher


@asynccontextmanager
async def _started(settings: Settings) -> AsyncIterator[tuple[App, Bot, Dispatcher]]:
    bot = create_bot(settings)
    app = await create_app(settings, AiogramMessenger(bot))
    tune_runtime_for_load()
    try:
        try:
            await bot.me()  # the token is checked here, before anything else is asked of Telegram
        except (TelegramUnauthorizedError, TelegramNotFound) as refused:
            raise TokenRefused(refused.message) from None
        await app.engine.startup()
        yield app, bot, create_dispatcher(app)
    finally:
        await app.close()
        await bot.session.close()


async def poll(settings: Settings) -> None:
    async with _started(settings) as (app, bot, dispatcher):
        await bot.delete_webhook(drop_pending_updates=False)
        app.scheduler.start()
        log.info("polling for updates (aiogram)")
        # the process's one stop signal (bot/adapters/lifecycle.py) also stops a web page served beside
        polling = asyncio.ensure_future(dispatcher.start_polling(bot, close_bot_session=False, handle_signals=False))
        stopped = asyncio.ensure_future(until_stop_signal())
        await asyncio.wait((polling, stopped), return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not polling.done():
            await dispatcher.stop_polling()
        await polling


async def serve_webhook(settings: Settings, public_url: str, secret: str) -> None:
    async with _started(settings) as (app, bot, dispatcher):
        async def feed(update: dict) -> None:
            await dispatcher.feed_raw_update(bot, update)

        async def started() -> None:
            await bot.set_webhook(public_url, secret_token=secret, drop_pending_updates=False)
            app.scheduler.start()
            log.info("webhook server (aiogram) listening on %s for %s", settings.webhook_listen, public_url)

        server = webhook_application(public_url, secret, feed, app.database_reachable)
        await serve_until_stopped(server, settings.webhook_listen, started)
