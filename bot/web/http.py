"""Between aiohttp and the web service: the visitor of a request (its cookie and Accept-Language), a
posted form, and a `WebReply` as a response (the page, or a 303 redirect; the cookies it sets)."""

from __future__ import annotations

from aiohttp import web

from bot.adapters.settings import Settings
from bot.services.web_survey import Form, Visitor, WebReply, seal_note
from bot.web.render import render

TOKEN_COOKIE = "surveybot"
NOTE_COOKIE = "surveybot_note"
TOKEN_MAX_AGE = 365 * 24 * 3600
NOTE_MAX_AGE = 120
FIELD_LIMIT = 64  # the form's short fields (csrf, position, button); the comment is checked by the dialogue
SETTINGS = web.AppKey("settings", Settings)


def visitor_of(request: web.Request) -> Visitor:
    settings = request.app[SETTINGS]
    return Visitor.of(request.cookies.get(TOKEN_COOKIE), request.headers.get("Accept-Language"),
                      settings.default_language)


async def form_of(request: web.Request) -> Form:
    data = await request.post()

    def field(name: str, limit: int | None = FIELD_LIMIT) -> str:
        value = data.get(name)
        return value[:limit] if isinstance(value, str) else ""

    return Form(csrf=field("csrf"), position=field("p"), action=field("b"), text=field("t", None))


def respond(request: web.Request, reply: WebReply, visitor: Visitor) -> web.Response:
    if reply.redirect is not None:
        response = web.Response(status=303, headers={"Location": reply.redirect})
        if reply.note:
            _set_cookie(request, response, NOTE_COOKIE, seal_note(visitor.token, reply.note), NOTE_MAX_AGE)
    else:
        assert reply.page is not None
        response = web.Response(status=reply.status, text=render(reply.page), content_type="text/html")
        if NOTE_COOKIE in request.cookies:
            response.del_cookie(NOTE_COOKIE, path="/")
    if visitor.new:
        _set_cookie(request, response, TOKEN_COOKIE, visitor.token, TOKEN_MAX_AGE)
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_cookie(request: web.Request, response: web.Response, name: str, value: str, max_age: int) -> None:
    base_url = request.app[SETTINGS].web_base_url or ""
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="Lax",
                        secure=base_url.startswith("https://"))
