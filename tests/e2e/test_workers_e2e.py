"""`surveybot run --workers 2`: one process polls Telegram, two worker processes handle the updates,
each chat always in the same worker. Customers complete the survey through it as through one process;
a worker that dies takes the bot down (for the service manager to restart it); SIGTERM stops all."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

from fakebot import BotProcess
from fakebot.customers import make_customers

from e2e.surveys import create_survey
from e2e.test_crash_recovery_e2e import ITEM_CODES, stored_answers

CUSTOMERS = 8
WORKERS = ("run", "--workers", "2")
UPDATE_LINE = re.compile(r" (\d+) INFO surveybot\.updates update=\d+ kind=\w+ user=(\d+) ")


def workers_of(bot: BotProcess) -> list[int]:
    assert bot.process is not None
    tasks = Path(f"/proc/{bot.process.pid}/task")
    return [int(child) for task in tasks.iterdir() for child in (task / "children").read_text().split()]


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().rsplit(")", 1)[1].split()[0] != "Z"


async def gone(pids: list[int], timeout: float = 10) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while any(alive(pid) for pid in pids) and loop.time() < deadline:
        await asyncio.sleep(0.1)
    return not any(alive(pid) for pid in pids)


async def test_customers_answer_through_two_workers_each_chat_in_one(telegram, bot_process, bot_env):
    survey = await create_survey(bot_env["DATABASE_URL"])
    bot = await bot_process(args=WORKERS, ready_timeout=30)
    workers = workers_of(bot)
    assert len(workers) == 2
    customers = make_customers(telegram, survey.code, CUSTOMERS, reply_timeout=20)

    assert all(await asyncio.gather(*(customer.complete() for customer in customers)))

    assert await stored_answers(bot_env["DATABASE_URL"]) == {
        customer.user.user_id: {code: customer.rating_for(number)
                                for number, code in enumerate(ITEM_CODES, start=1)}
        for customer in customers}
    handled_by: dict[int, set[int]] = {}
    for pid, user in UPDATE_LINE.findall(bot.log_text()):
        handled_by.setdefault(int(user), set()).add(int(pid))
    assert set(handled_by) == {customer.user.user_id for customer in customers}
    assert all(len(pids) == 1 for pids in handled_by.values()), handled_by  # a chat stays in one worker
    assert set().union(*handled_by.values()) == set(workers)  # and both workers had chats

    assert await bot.stop() == 0
    assert await gone(workers)


async def test_a_worker_that_dies_takes_the_bot_down_for_a_restart(bot_process):
    bot = await bot_process(args=WORKERS, ready_timeout=30)
    dying, other = workers_of(bot)
    os.kill(dying, signal.SIGKILL)

    assert await gone([other])
    await bot.wait_exit(10)
    assert bot.returncode == 1
    assert re.search(r"ERROR bot\.polling_workers worker [01] exited with code -9: stopping the bot",
                     bot.log_text())
