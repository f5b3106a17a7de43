"""python-telegram-bot's networking on aiohttp (its public `BaseRequest` extension point): calls
without files go as one JSON body, uploads as multipart forms. PTB's default, httpx, spent most of
the bot's CPU managing its connection pool under load (docs/performance.md)."""

from __future__ import annotations

import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_READ_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 5.0
CONNECTIONS = 100  # as aiohttp's default connector, which the aiogram shell uses
JSON_BODY = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    def __init__(self, read_timeout: float = DEFAULT_READ_TIMEOUT) -> None:
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONNECTIONS))

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        await self.initialize()
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(sock_read=_seconds(read_timeout, self._read_timeout),
                                        sock_connect=_seconds(connect_timeout, DEFAULT_CONNECT_TIMEOUT))
        try:
            async with self._session.request(method, url, timeout=timeout, **_body(request_data)) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _seconds(value: object, default: float) -> float | None:
    """A timeout PTB passed (seconds or None), or `default` when it passed none."""
    if value is None or isinstance(value, int | float):
        return value
    return default


def _body(request_data: RequestData | None) -> dict[str, object]:
    if request_data is None:
        return {}
    if not request_data.contains_files:
        return {"data": json.dumps(request_data.parameters), "headers": JSON_BODY}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return {"data": form}
