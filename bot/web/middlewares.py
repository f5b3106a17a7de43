"""What every response of the survey page gets: the security headers, a clear page instead of a bare
HTTP error or a traceback, and a per-address rate limit (429 with a clear page)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.services.web_survey import preferred_language
from bot.web.http import SETTINGS
from bot.web.render import render
from conversations.web_page import Notice, notice_page

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ERROR_NOTICES = {404: Notice.NOT_FOUND, 405: Notice.NOT_FOUND, 413: Notice.TOO_LARGE, 429: Notice.TOO_MANY}
BURST_MINUTES = 0.25  # an address may send a quarter of a minute's allowance at once
MAX_TRACKED = 50_000  # addresses remembered before idle ones are forgotten


def notice_response(request: web.Request, notice: Notice, status: int) -> web.Response:
    language = preferred_language(request.headers.get("Accept-Language"), request.app[SETTINGS].default_language)
    return web.Response(status=status, text=render(notice_page(language, notice)), content_type="text/html",
                        headers={"Cache-Control": "no-store"})


@web.middleware
async def security(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every response; HTTP errors and failures as clear pages."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        notice = ERROR_NOTICES.get(error.status)
        if notice is None and error.status < 500:
            raise
        response = notice_response(request, notice or Notice.FAILED, error.status)
    except Exception:
        log.exception("the survey page failed on %s %s", request.method, request.path)
        response = notice_response(request, Notice.FAILED, 500)
    response.headers.update(SECURITY_HEADERS)
    return response


class RateLimit:
    """A token bucket per client address: `per_minute` requests a minute, a quarter of that at once."""

    def __init__(self, per_minute: int, behind_proxy: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = per_minute / 60
        self._burst = max(1.0, per_minute * BURST_MINUTES)
        self._behind_proxy = behind_proxy
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, address: str) -> float:
        """0 when the address may go on (and the request is counted), else seconds to wait."""
        now = self._clock()
        tokens, then = self._buckets.get(address, (self._burst, now))
        tokens = min(self._burst, tokens + (now - then) * self._rate)
        if len(self._buckets) >= MAX_TRACKED and address not in self._buckets:
            self._forget_idle(now)
        if tokens < 1:
            self._buckets[address] = (tokens, now)
            return (1 - tokens) / self._rate
        self._buckets[address] = (tokens - 1, now)
        return 0

    def address(self, request: web.Request) -> str:
        forwarded = request.headers.get("X-Forwarded-For") if self._behind_proxy else None
        if forwarded:
            return forwarded.split(",")[-1].strip()
        return request.remote or "unknown"

    def _forget_idle(self, now: float) -> None:
        full_after = self._burst / self._rate
        self._buckets = {address: (tokens, then) for address, (tokens, then) in self._buckets.items()
                         if now - then < full_after}

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        wait = self.retry_after(self.address(request))
        if wait:
            response = notice_response(request, Notice.TOO_MANY, 429)
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        return await handler(request)
