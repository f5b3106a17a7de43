"""All wiring of the engine in one place: settings -> specs -> database -> delivery -> services ->
engine and scheduler. Each chat shell hands in its `Messenger` and feeds the engine its updates;
`surveybot run`, the other CLI commands and the tests build the bot the same way.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text

from bot.adapters.scheduler import create_scheduler
from bot.adapters.settings import Settings
from bot.adapters.storage import Database, open_database
from bot.adapters.storage.migrate import SchemaNotCurrent
from bot.services.context import Deps
from bot.services.customers import Customers
from bot.services.delivery import Delivery
from bot.services.digest import DigestSender
from bot.services.engine import Engine
from bot.services.pinned_specs import SpecFileChanged, register_specs
from bot.services.ports import Messenger, utc_now
from bot.services.reminders import ReminderSweeper
from bot.services.respondent import RespondentService
from specs import SpecCatalog, load_catalog

log = logging.getLogger(__name__)
YOUNG_GENERATION_THRESHOLD = 10_000  # allocations between two collections of the youngest generation


@dataclass
class App:
    settings: Settings
    catalog: SpecCatalog
    database: Database
    engine: Engine
    scheduler: AsyncIOScheduler  # started beside the polling or the webhook server

    async def database_reachable(self) -> bool:
        """For GET /healthz: one trivial query answers."""
        try:
            async with self.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any database failure means "unhealthy"
            log.warning("health check failed: %s", error)
            return False
        return True

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.database.close()


async def create_app(settings: Settings, messenger: Messenger) -> App:
    catalog = load_catalog(settings.specs_dir)
    for problem in catalog.refused:
        log.error("spec file refused: %s", problem)
    try:
        database = await open_database(settings.database_url, migrate=settings.migrate_on_start)
    except SchemaNotCurrent as outdated:
        raise SystemExit(str(outdated)) from None  # one line for the operator, no stack trace
    try:
        await register_specs(database.sessions, catalog, utc_now())
    except SpecFileChanged as changed:
        await database.close()
        raise SystemExit(str(changed)) from None
    return assemble(settings, catalog, database, messenger)


def assemble(settings: Settings, catalog: SpecCatalog, database: Database, messenger: Messenger) -> App:
    """The engine and the scheduler over an open database and a chat messenger."""
    respondents = RespondentService(database.sessions, catalog, settings.default_language)
    delivery = Delivery(messenger, rate_per_second=settings.send_rate_per_second,
                        on_unreachable=respondents.mark_chat_unreachable)
    deps = Deps(database.sessions, catalog, settings, delivery)
    reminders = ReminderSweeper(database.sessions, catalog, delivery)
    digests = DigestSender(database.sessions, catalog, delivery, settings.default_language)
    engine = Engine(deps, Customers(deps, respondents), reminders)
    scheduler = create_scheduler(reminders.sweep, digests.run, settings.reminder_sweep_minutes)
    return App(settings, catalog, database, engine, scheduler)


def tune_runtime_for_load() -> None:
    """Once the bot is built: what start-up made (modules, specs, the app) is set aside from the
    garbage collector, and the youngest generation is collected every YOUNG_GENERATION_THRESHOLD
    allocations instead of Python's 700 (docs/performance.md says what each saves)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
