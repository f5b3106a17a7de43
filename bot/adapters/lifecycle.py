"""The bot process runs until the operator stops it: Ctrl+C (SIGINT) or SIGTERM (systemd, docker)."""

from __future__ import annotations

import asyncio
import signal


async def until_stop_signal() -> None:
    stop = asyncio.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signal_number, stop.set)
    await stop.wait()
