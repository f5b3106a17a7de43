"""The bot process runs until the operator stops it: Ctrl+C (SIGINT) or SIGTERM (systemd, docker).
Every server of the process (the Telegram shell, the web page) waits on the same signal."""

from __future__ import annotations

import asyncio
import signal
from weakref import WeakKeyDictionary

_STOPS: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = WeakKeyDictionary()


async def until_stop_signal() -> None:
    loop = asyncio.get_running_loop()
    stop = _STOPS.get(loop)
    if stop is None:
        stop = _STOPS[loop] = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()
