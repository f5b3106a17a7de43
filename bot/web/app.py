"""The survey page as an aiohttp application: its routes (one table), middlewares and services.

    app = create_web_app(settings, database, catalog)      # then web.AppRunner(app) or TestServer(app)
"""

from __future__ import annotations

from aiohttp import web

from bot.adapters.settings import Settings
from bot.adapters.storage import Database
from bot.services.ports import Clock, utc_now
from bot.services.respondent import RespondentService
from bot.services.web_survey import WebSurvey
from bot.web import handlers
from bot.web.http import SETTINGS
from bot.web.middlewares import RateLimit, security
from specs import SpecCatalog

MAX_BODY_BYTES = 256 * 1024  # a comment of 1000 characters is at most 9 kB of form data

ROUTES = [
    web.get("/s/{code}", handlers.show_page),
    web.post("/s/{code}", handlers.post_page),
    web.get("/p/{link}", handlers.show_page),
    web.post("/p/{link}", handlers.post_page),
    web.get("/static/site.css", handlers.style_sheet),
    web.get("/favicon.ico", handlers.no_icon),
    web.get("/healthz", handlers.health),
]


def create_web_app(settings: Settings, database: Database, catalog: SpecCatalog,
                   clock: Clock = utc_now) -> web.Application:
    respondents = RespondentService(database.sessions, catalog, settings.default_language, clock)
    middlewares = [security]
    if settings.web_rate_per_minute:
        middlewares.append(RateLimit(settings.web_rate_per_minute, settings.web_behind_proxy).middleware)
    app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[handlers.SURVEY] = WebSurvey(database.sessions, catalog, respondents, clock)
    app.add_routes(ROUTES)
    return app
