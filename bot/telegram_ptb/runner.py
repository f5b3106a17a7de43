"""Run the python-telegram-bot shell: long polling, or a webhook server
(bot/adapters/webhook_server.py). The scheduler stays APScheduler over the services (bot/app.py)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application, TypeHandler

from bot.adapters.lifecycle import until_stop_signal
from bot.adapters.settings import Settings
from bot.adapters.webhook_server import serve_until_stopped, webhook_application
from bot.app import App, create_app, tune_runtime_for_load
from bot.services.ports import TokenRefused
from bot.telegram_ptb.client import CONCURRENT_UPDATES, create_ptb_bot
from bot.telegram_ptb.handlers import ENGINE, take_update
from bot.telegram_ptb.messenger import PtbMessenger

log = logging.getLogger(__name__)


@asynccontextmanager
async def _started(settings: Settings) -> AsyncIterator[tuple[App, Application]]:
    assert settings.bot_token is not None
    bot = create_ptb_bot(settings.bot_token.get_secret_value(), settings.telegram_api_url)
    app = await create_app(settings, PtbMessenger(bot))
    # updates of different chats run concurrently (the engine serializes one chat's updates); no
    # JobQueue: the scheduler is APScheduler over the services (bot/app.py)
    application = Application.builder().bot(bot).job_queue(None).concurrent_updates(CONCURRENT_UPDATES).build()
    application.bot_data[ENGINE] = app.engine
    application.add_handler(TypeHandler(Update, take_update))
    tune_runtime_for_load()
    try:
        try:
            await application.initialize()  # getMe: the token is checked here
        except InvalidToken as refused:
            raise TokenRefused(refused.message) from None
        await app.engine.startup()
        await application.start()
        yield app, application
    finally:
        if application.running:
            await application.stop()
        await application.shutdown()
        await app.close()


async def poll(settings: Settings) -> None:
    async with _started(settings) as (app, application):
        app.scheduler.start()
        log.info("polling for updates (python-telegram-bot)")
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=25)
        try:
            await until_stop_signal()
        finally:
            await application.updater.stop()


async def serve_webhook(settings: Settings, public_url: str, secret: str) -> None:
    async with _started(settings) as (app, application):
        async def feed(data: dict[str, Any]) -> None:
            await application.process_update(Update.de_json(data, application.bot))

        async def started() -> None:
            await application.bot.set_webhook(public_url, secret_token=secret, drop_pending_updates=False)
            app.scheduler.start()
            log.info("webhook server (python-telegram-bot) listening on %s for %s", settings.webhook_listen,
                     public_url)

        server = webhook_application(public_url, secret, feed, app.database_reachable)
        await serve_until_stopped(server, settings.webhook_listen, started)
