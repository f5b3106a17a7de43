"""Two bot replicas on one PostgreSQL database, both in webhook mode behind a load balancer.

The replicas start together on an empty database. Telegram (the fake) posts every update to the load
balancer, whose URL both replicas register as their webhook; the balancer hands each customer's updates
to the replicas in turn, so every step of a dialogue is taken by the other process than the step before,
and a double tap reaches both replicas at the same moment. Both replicas' reminder sweepers run every
1.2 s over the same respondents.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from answering import answer, submit
from fakebot import BotFactory, FakeTelegramServer, FakeUser, free_port
from sqlalchemy import make_url, update

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.adapters.storage import Database
from bot.adapters.storage.tables import Respondent
from e2e.conftest import fetch
from e2e.surveys import create_survey
from e2e.test_reminders_e2e import create_survey_due_after_an_hour
from specs import load_catalog

ITEMS = [item.code for item in load_catalog().get("TBSC120").items]
SECRET = "replica-shared-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SWEEP_MINUTES = "0.02"  # each replica looks for due reminders every 1.2 s


def _on_postgresql() -> bool:
    url = os.environ.get("TEST_DATABASE_URL")
    return bool(url) and make_url(Settings(database_url=url).database_url).get_backend_name() == "postgresql"


pytestmark = pytest.mark.skipif(
    not _on_postgresql(),
    reason="replicas share one PostgreSQL database: set TEST_DATABASE_URL to a PostgreSQL server",
)

StartReplicas = Callable[..., Awaitable["LoadBalancer"]]


def _sender(update: dict[str, Any]) -> int:
    event = update.get("message") or update.get("callback_query") or {}
    return int(event["from"]["id"])


class LoadBalancer:
    """An HTTP front for the replicas: each user's updates go to the replicas in turn.

    `together(user_id, 2)` holds that user's next two updates and hands them to the replicas at once.
    `replicas_of(user_id)` counts the updates of a user each replica was given.
    """

    def __init__(self, replica_urls: list[str]) -> None:
        self.replica_urls = replica_urls
        self.port = free_port()
        self._routed: list[tuple[int, int]] = []
        self._turns: Counter[int] = Counter()
        self._held: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        self._hold_counts: dict[int, int] = {}
        self._releases: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/hook"

    async def __aenter__(self) -> LoadBalancer:
        self._http = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/telegram/hook", self._take)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.gather(*self._releases, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    def together(self, user_id: int, count: int = 2) -> None:
        self._hold_counts[user_id] = count
        self._held[user_id] = []

    def replicas_of(self, user_id: int) -> Counter[int]:
        return Counter(replica for user, replica in self._routed if user == user_id)

    async def _take(self, request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != SECRET:
            return web.Response(status=401)
        update = await request.json()
        user_id = _sender(update)
        replica = self._turns[user_id] % len(self.replica_urls)
        self._turns[user_id] += 1
        self._routed.append((user_id, replica))
        held = self._held.get(user_id)
        if held is None:
            return web.Response(status=await self._forward(replica, update))
        held.append((replica, update))
        if len(held) == self._hold_counts[user_id]:
            del self._held[user_id]
            release = asyncio.create_task(self._release(held))
            self._releases.add(release)
            release.add_done_callback(self._releases.discard)
        return web.Response()  # accepted: Telegram's next update may come while this one is held

    async def _release(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        await asyncio.gather(*(self._forward(replica, update) for replica, update in batch))

    async def _forward(self, replica: int, update: dict[str, Any]) -> int:
        assert self._http is not None
        async with self._http.post(self.replica_urls[replica], json=update,
                                   headers={SECRET_HEADER: SECRET}) as response:
            return response.status


async def wait_healthy(url: str, timeout: float = 30) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(int(timeout * 10)):
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered 200")


@pytest.fixture
async def start_replicas(bot_process: BotFactory) -> AsyncIterator[StartReplicas]:
    """`await start_replicas(**extra_env)`: two webhook replicas started together, and their balancer."""
    async with AsyncExitStack() as stack:
        async def start(**extra_env: str) -> LoadBalancer:
            ports = [free_port(), free_port()]
            balancer = LoadBalancer([f"http://127.0.0.1:{port}/telegram/hook" for port in ports])
            await stack.enter_async_context(balancer)
            await asyncio.gather(*(
                bot_process(args=("run", "--webhook", balancer.url), ready_timeout=30, WEBHOOK_SECRET=SECRET,
                            WEBHOOK_LISTEN=f"127.0.0.1:{port}", **extra_env)
                for port in ports
            ))
            for port in ports:
                await wait_healthy(f"http://127.0.0.1:{port}/healthz")
            return balancer

        yield start


def rating_for(customer: int, item: int) -> int:
    return 1 + (customer + item) % 5


def button_data(telegram: FakeTelegramServer, user: FakeUser, label: str) -> tuple[int, str]:
    message = telegram.latest_bot_message(user.chat_id, with_keyboard=True)
    assert message is not None, user.texts()
    [data] = [button["callback_data"] for button in message.buttons if button["text"].startswith(label)]
    return message.message_id, data


async def double_tap(telegram: FakeTelegramServer, balancer: LoadBalancer, user: FakeUser,
                     label: str) -> None:
    """Two presses of one button, handed to both replicas at the same moment."""
    tap = button_data(telegram, user, label)
    balancer.together(user.user_id, 2)
    await asyncio.gather(user.press_data(*tap), user.press_data(*tap))
    await user.wait_quiet(quiet=0.5)


async def answer_the_survey(telegram: FakeTelegramServer, balancer: LoadBalancer, customer: int,
                            user: FakeUser, code: str) -> None:
    """Every item rated `rating_for(customer, item)`; one of them and Submit double-tapped."""
    await user.send(f"/start {code}")
    await user.wait_reply()
    await user.press("Start")
    await user.wait_reply()
    for item in range(len(ITEMS)):
        label = f"{rating_for(customer, item)} "
        if item == customer:
            await double_tap(telegram, balancer, user, label)
        else:
            await user.press(label)
            await user.wait_reply()
        if item + 1 < len(ITEMS):
            assert f"{item + 2}/{len(ITEMS)}" in user.screen().text, user.screen()
    assert "Submit" in " ".join(user.screen().labels)
    await double_tap(telegram, balancer, user, "✅ Submit")


async def test_customers_spread_over_two_replicas_answer_and_submit_once(
        telegram: FakeTelegramServer, start_replicas: StartReplicas, bot_env: dict[str, str],
        bot_database: Database) -> None:
    balancer = await start_replicas()
    survey = await create_survey(bot_env["DATABASE_URL"])
    customers = [FakeUser(telegram, 710001 + index, f"C{index}", "en") for index in range(6)]
    await asyncio.wait_for(asyncio.gather(*(
        answer_the_survey(telegram, balancer, index, user, survey.code)
        for index, user in enumerate(customers)
    )), timeout=40)

    stored = await fetch(bot_database, "SELECT r.telegram_user_id, a.item_code, a.rating FROM answer a "
                                       "JOIN respondent r ON r.id = a.respondent_id")
    assert len(stored) == len(ITEMS) * len(customers)  # no answer stored twice
    for index, user in enumerate(customers):
        answers = {code: rating for user_id, code, rating in stored if user_id == user.user_id}
        assert answers == {code: rating_for(index, item) for item, code in enumerate(ITEMS)}
    rows = await fetch(bot_database, "SELECT telegram_user_id, number, position, submitted_at IS NOT NULL "
                                     "FROM respondent")
    assert sorted((user_id, position, submitted) for user_id, _, position, submitted in rows) == [
        (user.user_id, "done", True) for user in customers]
    assert sorted(number for _, number, _, _ in rows) == list(range(1, len(customers) + 1))
    # each submission counted once in the lead's figures
    assert await storage.progress_counts(bot_database.sessions, survey.id) == storage.ProgressCounts(
        joined=len(customers), started=0, submitted=len(customers))
    expected: dict[str, Counter[int]] = {code: Counter() for code in ITEMS}
    for index in range(len(customers)):
        for item, code in enumerate(ITEMS):
            expected[code][rating_for(index, item)] += 1
    assert await storage.item_histograms(bot_database.sessions, survey.id) == {
        code: dict(counts) for code, counts in expected.items()}
    for user in customers:
        assert [text for text in user.texts() if "thank you" in text.lower()] == [user.screen().text]
        assert set(balancer.replicas_of(user.user_id)) == {0, 1}  # both replicas took this customer's steps


async def test_two_replicas_sweeping_the_same_survey_send_each_reminder_once(
        telegram: FakeTelegramServer, start_replicas: StartReplicas, bot_env: dict[str, str],
        bot_database: Database) -> None:
    await start_replicas(REMINDER_SWEEP_MINUTES=SWEEP_MINUTES)
    survey = await create_survey_due_after_an_hour(bot_env["DATABASE_URL"])
    waiting = [FakeUser(telegram, 720001 + index, f"W{index}", "en") for index in range(12)]
    active, finished = FakeUser(telegram, 720100, "Active", "en"), FakeUser(telegram, 720101, "Done", "en")
    now = dt.datetime.now(dt.UTC)
    for user in [*waiting, active, finished]:
        respondent = await storage.join(bot_database.sessions, survey.id, user.user_id, user.chat_id, "en",
                                        now)
        await answer(bot_database.sessions, respondent.id, ITEMS[0], 4, now)
        if user is finished:
            await submit(bot_database.sessions, respondent.id, now)
    telegram.latency = 0.1  # slow sends keep one replica's round going while the other sweeps

    left = now - dt.timedelta(hours=2)
    waiting_ids = [user.user_id for user in waiting]
    async with bot_database.sessions.begin() as session:  # they left two hours ago: all due at once
        await session.execute(update(Respondent).where(
            Respondent.telegram_user_id.in_([*waiting_ids, finished.user_id])
        ).values(joined_at=left, last_active_at=left))

    def reminders_to(user: FakeUser) -> int:
        return sum("questions left" in text for text in user.texts())

    everyone_reminded = await telegram.wait_until(
        lambda: True if all(reminders_to(user) for user in waiting) else None, timeout=20)
    assert everyone_reminded, [reminders_to(user) for user in waiting]
    await asyncio.sleep(3)  # both sweepers run again, twice or more each
    assert [reminders_to(user) for user in waiting] == [1] * len(waiting)
    assert reminders_to(active) == 0 and reminders_to(finished) == 0
    counts = await fetch(bot_database, "SELECT telegram_user_id, reminder_count FROM respondent")
    assert sorted(counts) == sorted([(user_id, 1) for user_id in waiting_ids]
                                    + [(active.user_id, 0), (finished.user_id, 0)])
