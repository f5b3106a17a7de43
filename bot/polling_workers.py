"""Long polling with several worker processes: `surveybot run --workers N`.

One Python process serves Telegram on one core. With `--workers N` the process started first only
polls: it asks Telegram for updates (getUpdates), reads just enough of each to know its chat, and
hands it to the worker of that chat as one JSON line through a pipe (a tap without the keyboard it
was on, which no handler reads). After a poll that brought updates it waits GATHER_SECONDS, so that
under load a poll brings a batch. The workers are forked from it
once the bot's modules are loaded (a fresh interpreter would import them again, for seconds); each
is a whole bot with its own Bot API session and database connection, and worker 0 also runs the
scheduler (reminders and digests are claimed in the database, so one is enough).

    poller --getUpdates--> chat 17 -> worker 1, chat 42 -> worker 0, ...

A chat's updates always go to the same worker, in the order Telegram sent them, so a double tap is
still handled one tap after the other. Each worker sends at most SEND_RATE_PER_SECOND / N messages a
second, so that together they keep the configured rate. When a worker dies, the poller stops the
others and exits with an error, for the service manager to restart the whole bot; as with plain
polling, updates a worker had taken but not finished are not delivered again (a customer taps again
and resumes where the last stored step left them). SIGINT or SIGTERM: the poller stops polling and
closes the pipes; each worker finishes the updates it has, then exits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import uvloop
from aiogram import Dispatcher
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer

from bot.app import App, create_app, tune_runtime_for_load
from bot.handlers import get_routers
from bot.settings import Settings
from bot.storage import open_database
from bot.telegram_client import token_refused

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 1.0, 30.0
WORKER_START_SECONDS, WORKER_STOP_SECONDS = 120, 30
# After a poll that brought updates, the poller waits this long before the next, so that under load each
# poll brings a batch. With 500 customers tapping flat out (bench/load.py) polls brought 1.8 updates each
# without the wait and 8.9 with it, and the poller took 15 % of a core instead of 7 %; an update that
# arrives meanwhile waits at most this long (at a reading pace, p99 13 -> 20 ms).
GATHER_SECONDS = 0.010
FATAL_STATUSES = (401, 404)  # a wrong token: polling again will not help
READY = b"ready\n"  # what a worker writes to the poller once it can take updates
UPDATE_LINE_LIMIT = 4 * 1024 * 1024  # an update is a few kB; Telegram caps texts and captions far below


class PollingRefused(Exception):
    """Telegram answered getUpdates with an error."""

    def __init__(self, status: int, answer: Mapping[str, Any]) -> None:
        self.description = str(answer.get("description", "no description"))
        super().__init__(f"{status}: {self.description}")
        self.status = status
        self.retry_after = float((answer.get("parameters") or {}).get("retry_after") or 0)


def chat_of(update: Mapping[str, Any]) -> int:
    """The chat an update belongs to (for a button: the chat of its message), or else its sender;
    the update's id for the rare update that has neither."""
    for kind, event in update.items():
        if not isinstance(event, dict):
            continue  # the update_id
        if kind == "callback_query" and isinstance(event.get("message"), dict):
            event = event["message"]
        for field in ("chat", "from", "user"):
            holder = event.get(field)
            if isinstance(holder, dict) and isinstance(holder.get("id"), int):
                return holder["id"]
    return int(update.get("update_id", 0))


def without_tapped_keyboard(update: dict[str, Any]) -> dict[str, Any]:
    """The update (changed in place) without the keyboard of the message whose button was tapped.

    Telegram sends that whole keyboard with every tap, and no handler reads it (a button's handler reads
    the button's own data, the message's id and its chat). Left out, a worker parses a tap in half the
    CPU (126 -> 64 µs for a question's keyboard; aiogram makes an object of every button).
    """
    tap = update.get("callback_query")
    if isinstance(tap, dict) and isinstance(tap.get("message"), dict):
        tap["message"].pop("reply_markup", None)
    return update


@dataclass
class Worker:
    """The poller's side of a forked worker: its process id, the pipe its updates go into, and the
    pipe that says it is ready and, at its end, that it has exited."""

    index: int
    pid: int
    updates_fd: int
    alive_fd: int


def run_with_workers(settings: Settings, count: int) -> int:
    """Migrate, fork `count` workers, poll and hand out updates until SIGINT/SIGTERM or until a
    worker dies. Call it before any event loop runs. The process's exit code: 0 after a signal, 1
    when a worker died or did not start, 2 when Telegram refused the token."""
    uvloop.run(_migrate(settings))
    # The poller holds every module the workers need, and each update it reads makes a few dicts:
    # collections walked that whole heap, a third of the poller's CPU under load (perf; the poller's
    # share of the bot's CPU fell from 17 % to 9 %). Frozen before the fork, the heap also stays
    # shared with the workers instead of being copied page by page as their collections touch it.
    tune_runtime_for_load()
    worker_settings = settings.model_copy(update={
        "send_rate_per_second": settings.send_rate_per_second / count, "migrate_on_start": False})
    workers: list[Worker] = []
    for index in range(count):
        updates_read, updates_write = os.pipe()
        alive_read, alive_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: the poller's ends of its own and the earlier workers' pipes closed
            for worker in workers:
                os.close(worker.updates_fd)
                os.close(worker.alive_fd)
            os.close(updates_write)
            os.close(alive_read)
            os._exit(_worker_main(worker_settings, index, updates_read, alive_write))
        os.close(updates_read)
        os.close(alive_write)
        workers.append(Worker(index, pid, updates_write, alive_read))
    return uvloop.run(_supervise(settings, workers))


async def _migrate(settings: Settings) -> None:
    """The poller migrates the database once, before the workers open it."""
    database = await open_database(settings.database_url, migrate=settings.migrate_on_start)
    await database.close()


def _worker_main(settings: Settings, index: int, updates_fd: int, alive_fd: int) -> int:
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, signal.SIG_IGN)  # the poller's to act on: it closes the pipe then
    try:
        uvloop.run(_serve_updates(settings, index, updates_fd, alive_fd))
    except Exception:  # noqa: BLE001 - the worker's last word before the poller restarts the bot
        log.exception("worker %d failed", index)
        return 1
    return 0


async def _serve_updates(settings: Settings, index: int, updates_fd: int, alive_fd: int) -> None:
    """Handle the updates that come as JSON lines on `updates_fd` until the poller closes it."""
    app = await create_app(settings)
    tune_runtime_for_load()
    updates = asyncio.StreamReader(limit=UPDATE_LINE_LIMIT)
    await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(updates), os.fdopen(updates_fd, "rb"))
    handling: set[asyncio.Task[None]] = set()
    try:
        if index == 0:
            app.scheduler.start()
        os.write(alive_fd, READY)  # alive_fd stays open until this process exits
        async for line in updates:
            task = asyncio.create_task(_handle_update(app, line))
            handling.add(task)
            task.add_done_callback(handling.discard)
        await asyncio.gather(*handling)
    finally:
        if app.scheduler.running:
            app.scheduler.shutdown(wait=False)
        await app.close()


async def _handle_update(app: App, line: bytes) -> None:
    try:
        await app.dispatcher.feed_raw_update(app.bot, json.loads(line))
    except Exception:  # noqa: BLE001 - as aiogram's polling does: log, and go on with the next update
        log.exception("update failed: %.200s", line)


async def _supervise(settings: Settings, workers: Sequence[Worker]) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    alive = [await _reader(worker.alive_fd) for worker in workers]
    pipes = [await _writer(worker.updates_fd) for worker in workers]
    exit_code, exited_early = 1, set()
    if await _all_ready(workers, alive):
        exit_code, exited_early = await _poll_until_stopped(settings, workers, pipes, alive, stop)
    for pipe in pipes:
        pipe.close()
    for worker, code in zip(workers, await _reap(workers), strict=True):
        if code != 0 or worker.index in exited_early:
            log.error("worker %d exited with code %s: stopping the bot", worker.index, code)
            exit_code = 1
    return exit_code


async def _poll_until_stopped(settings: Settings, workers: Sequence[Worker],
                              pipes: Sequence[asyncio.StreamWriter], alive: Sequence[asyncio.StreamReader],
                              stop: asyncio.Event) -> tuple[int, set[int]]:
    """Poll until a signal (exit code 0), until polling fails (1; 2 when Telegram refuses the token)
    or until a worker exits (1). Also returns the workers that exited meanwhile."""
    polling = asyncio.create_task(_poll(settings, pipes))
    stopped = asyncio.create_task(stop.wait())
    died = [asyncio.create_task(reader.read()) for reader in alive]  # EOF: the worker has exited
    done, _ = await asyncio.wait([polling, stopped, *died], return_when=asyncio.FIRST_COMPLETED)
    for task in (polling, stopped, *died):
        task.cancel()
    exited_early = {worker.index for worker, exited in zip(workers, died, strict=True) if exited in done}
    if stopped in done:
        return 0, exited_early
    problem = polling.exception() if polling in done else None
    if isinstance(problem, PollingRefused) and problem.status in FATAL_STATUSES:
        log.error(token_refused(problem.description))
        return 2, exited_early
    if problem is not None:
        log.error("polling stopped: %s", problem)
    return 1, exited_early


async def _reader(fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb"))
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, os.fdopen(fd, "wb"))
    return asyncio.StreamWriter(transport, protocol, None, loop)


async def _all_ready(workers: Sequence[Worker], alive: Sequence[asyncio.StreamReader]) -> bool:
    """Wait until each worker says READY; False, logged, when one exits first or takes too long."""
    for worker, reader in zip(workers, alive, strict=True):
        try:
            said = await asyncio.wait_for(reader.readline(), WORKER_START_SECONDS)
        except TimeoutError:
            said = b""
        if said != READY:
            log.error("worker %d did not start: stopping the bot", worker.index)
            return False
    return True


async def _reap(workers: Sequence[Worker]) -> list[int]:
    """Each worker's exit code once it has finished its updates (negative: killed by that signal);
    a worker still busy after WORKER_STOP_SECONDS is killed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WORKER_STOP_SECONDS
    codes = []
    for worker in workers:
        while (status := os.waitpid(worker.pid, os.WNOHANG))[0] == 0:
            if loop.time() > deadline:
                os.kill(worker.pid, signal.SIGKILL)
            await asyncio.sleep(0.05)
        codes.append(os.waitstatus_to_exitcode(status[1]))
    return codes


async def _poll(settings: Settings, pipes: Sequence[asyncio.StreamWriter]) -> None:
    api: TelegramAPIServer = (TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
                              if settings.telegram_api_url else PRODUCTION)
    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value()
    allowed_updates = _used_update_types()
    offset, retry_in = 0, RETRY_FIRST_SECONDS
    async with aiohttp.ClientSession() as http:
        await _call(http, api.api_url(token, "deleteWebhook"), {"drop_pending_updates": False}, 30)
        log.info("polling for updates, %d workers", len(pipes))
        while True:
            try:
                updates = await _call(http, api.api_url(token, "getUpdates"),
                                      {"offset": offset, "timeout": POLL_TIMEOUT_SECONDS,
                                       "allowed_updates": allowed_updates}, POLL_TIMEOUT_SECONDS + 20)
            except PollingRefused as refused:
                if refused.status in FATAL_STATUSES:
                    raise
                problem: Exception = refused
                wait = refused.retry_after or retry_in
            except (aiohttp.ClientError, TimeoutError, ValueError) as failure:
                problem, wait = failure, retry_in
            else:
                retry_in = RETRY_FIRST_SECONDS
                for update in updates:
                    line = json.dumps(without_tapped_keyboard(update)).encode() + b"\n"
                    pipes[chat_of(update) % len(pipes)].write(line)
                    offset = update["update_id"] + 1
                await asyncio.gather(*(pipe.drain() for pipe in pipes))
                if updates:
                    await asyncio.sleep(GATHER_SECONDS)
                continue
            log.warning("getUpdates failed (%s); trying again in %.0f s", problem, wait)
            await asyncio.sleep(wait)
            retry_in = min(retry_in * 2, RETRY_MAX_SECONDS)


async def _call(http: aiohttp.ClientSession, url: str, parameters: Mapping[str, Any], timeout: float) -> Any:
    async with http.post(url, json=parameters, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
        answer = await response.json(content_type=None)
    if not isinstance(answer, dict) or not answer.get("ok"):
        raise PollingRefused(response.status, answer if isinstance(answer, dict) else {})
    return answer["result"]


def _used_update_types() -> list[str]:
    """The kinds of update the bot's routers handle (what plain polling asks Telegram for).

    Only the poller calls this, after the fork: a router joins one dispatcher only, and each worker's
    create_app needs the routers free."""
    dispatcher = Dispatcher()
    dispatcher.include_routers(*get_routers())
    return dispatcher.resolve_used_update_types()
