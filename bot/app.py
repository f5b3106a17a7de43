"""All wiring in one place: settings -> database -> bot -> dispatcher -> routers.

`surveybot run`, the other CLI commands and the tests build the bot the same way.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Delivery
from bot.digest import DigestSender
from bot.handlers import get_routers
from bot.middlewares import OneUpdatePerChat
from bot.reminders import ReminderSweeper
from bot.respondent_service import RespondentService
from bot.scheduler import create_scheduler
from bot.settings import Settings
from bot.storage import Database, open_database
from bot.storage.migrate import SchemaNotCurrent
from bot.telegram_client import create_bot
from bot.update_log import LogEachUpdate
from specs import SpecCatalog, load_catalog

log = logging.getLogger(__name__)
YOUNG_GENERATION_THRESHOLD = 10_000  # allocations between two collections of the youngest generation


@dataclass
class App:
    settings: Settings
    catalog: SpecCatalog
    database: Database
    bot: Bot
    dispatcher: Dispatcher
    scheduler: AsyncIOScheduler  # started by `surveybot run` beside the polling

    async def close(self) -> None:
        await self.bot.session.close()
        await self.database.close()


async def create_app(settings: Settings) -> App:
    catalog = load_catalog(settings.specs_dir)
    for problem in catalog.refused:
        log.error("spec file refused: %s", problem)
    try:
        database = await open_database(settings.database_url, migrate=settings.migrate_on_start)
    except SchemaNotCurrent as outdated:
        raise SystemExit(str(outdated)) from None  # one line for the operator, no stack trace
    bot = create_bot(settings)
    respondents = RespondentService(database.sessions, catalog, settings.default_language)
    delivery = Delivery(bot, rate_per_second=settings.send_rate_per_second,
                        on_unreachable=respondents.mark_chat_unreachable)
    reminders = ReminderSweeper(database.sessions, catalog, delivery)
    digests = DigestSender(database.sessions, catalog, delivery, settings.default_language)
    dispatcher = Dispatcher(
        disable_fsm=True,  # dialogue state lives in the database; aiogram's FSM would cost every update
        settings=settings, catalog=catalog, sessions=database.sessions, respondents=respondents,
        delivery=delivery, reminders=reminders,
    )
    dispatcher.update.outer_middleware(LogEachUpdate())
    serialize = OneUpdatePerChat()
    dispatcher.message.outer_middleware(serialize)
    dispatcher.callback_query.outer_middleware(serialize)
    dispatcher.include_routers(*get_routers())
    scheduler = create_scheduler(reminders, digests, settings.reminder_sweep_minutes)
    return App(settings, catalog, database, bot, dispatcher, scheduler)


def tune_runtime_for_load() -> None:
    """Once the bot is built: what start-up made (modules, specs, the app) is set aside from the
    garbage collector. It lives as long as the process, and Python's full collections walked it all,
    pausing every update for 100-300 ms a few times a minute (the p99 of bench/load.py).

    The youngest generation is then collected every YOUNG_GENERATION_THRESHOLD allocations instead of
    Python's 700: each collection walks every object of the updates in flight, and under load
    (bench/load.py, 500 customers) collections took 5 % of the bot's CPU; now about 1.6 %."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
