"""The survey page's handlers: read the request, call the web service once, answer (each ≤ 15 lines)."""

from __future__ import annotations

from aiohttp import web

from bot.services.web_survey import SHOW_ANSWERS, WebSurvey, Where
from bot.web.http import NOTE_COOKIE, form_of, respond, visitor_of
from bot.web.templates import CSS

SURVEY = web.AppKey("survey", WebSurvey)
CSS_BYTES = CSS.encode()


def _where(request: web.Request) -> Where:
    return Where(request.path, code=request.match_info.get("code"), link=request.match_info.get("link"))


async def show_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    answers = request.query_string == SHOW_ANSWERS
    reply = await request.app[SURVEY].show(visitor, _where(request), request.cookies.get(NOTE_COOKIE), answers)
    return respond(request, reply, visitor)


async def post_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    reply = await request.app[SURVEY].act(visitor, _where(request), await form_of(request))
    return respond(request, reply, visitor)


async def style_sheet(request: web.Request) -> web.Response:
    return web.Response(body=CSS_BYTES, content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=86400"})


async def no_icon(request: web.Request) -> web.Response:
    return web.Response(status=204, headers={"Cache-Control": "public, max-age=86400"})


async def health(request: web.Request) -> web.Response:
    return web.Response(text="ok")
