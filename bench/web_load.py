"""Phones answering the web page: `surveybot web` in its own process on a SQLite file, each simulated
phone a browser of its own (cookie jar) that reads, thinks and taps through the whole survey over HTTP.

    .venv/bin/python -m bench.web_load [--phones 200] [--think 2] [--saturation-phones 100]
                                       [--telegram-customers 100] [--profile PATH]

Round 1: `--phones` phones with `--think` seconds (±50 %) between taps, all starting within the first
think time: p50/p95/p99 latency of each kind of page and the errors (a page that is not 200, a tap
that is not 303, a broken connection). Round 2: `--saturation-phones` phones that tap without
thinking: pages a second at saturation. The phones run on uvloop in this process (they share the cores
with the server: the less they take, the better). Then every response must be stored: each phone's
respondent submitted with 19 answers. Round 3, on the same machine in the same run: `--telegram-customers`
customers answer through the Telegram shell (aiogram) without pausing, by `bench.load.survey_run`,
and its updates a second are printed beside the page's pages a second (0 skips it).

For each web round: the CPU seconds of the server and of this process (the phones), and how long each
waited, ready to run, for a core that another process held (Linux schedstat; the phones count among
those processes): on a shared machine that wait, not the server's work, is what stretches the tail.
`--profile PATH` profiles the server's event-loop thread over both web rounds (cProfile, as
`bench.load --profile`) and prints where its CPU went. Prints the figures; exit code 1 on an error
or a response not stored.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import uvloop
from sqlalchemy import text

from bench.load import PROFILED_BOT, SurveyRun, print_profile, survey_run
from bot.adapters import storage

SPEC_ID = "TBSC120"
ITEMS = 19
SURVEYBOT = str(Path(sys.executable).with_name("surveybot"))
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
_POSITION = re.compile(r'name="p" value="([^"]+)"')


@dataclass
class Figures:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass(frozen=True)
class Usage:
    """Seconds a process ran on a core and seconds it waited, ready, for one (all its threads)."""

    running: float
    waiting: float

    @classmethod
    def of(cls, pid: int) -> Usage:
        """So far (Linux /proc/<pid>/task/*/schedstat; zeros elsewhere)."""
        running = waiting = 0
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                ran, waited, _slices = (task / "schedstat").read_text().split()
                running, waiting = running + int(ran), waiting + int(waited)
        except (OSError, ValueError):
            return cls(0.0, 0.0)
        return cls(running / 1e9, waiting / 1e9)

    def __sub__(self, earlier: Usage) -> Usage:
        return Usage(self.running - earlier.running, self.waiting - earlier.waiting)


@dataclass
class Round:
    figures: Figures
    seconds: float
    server: Usage
    phones: Usage


@dataclass
class Result:
    paced: Round
    saturated: Round
    phones: int
    stored: int  # submitted web respondents with every answer stored
    telegram: SurveyRun | None = None

    @property
    def pages_per_second(self) -> float:
        return self.saturated.figures.requests / self.saturated.seconds if self.saturated.seconds else 0.0


class Phone:
    def __init__(self, base: str, connector: aiohttp.BaseConnector, figures: Figures, think: float,
                 rng: random.Random) -> None:
        self.session = aiohttp.ClientSession(connector=connector, connector_owner=False,
                                             cookie_jar=aiohttp.CookieJar(unsafe=True),
                                             headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        self.base, self.figures, self.think, self.rng = base, figures, think, rng
        self.html = ""

    async def answer_survey(self, path: str) -> None:
        try:
            await self._get("welcome", path)
            await self._tap("start", path, "question")
            for index in range(ITEMS):
                await self._tap(f"r:{self.rng.randint(3, 5)}", path, "review" if index == ITEMS - 1 else "question")
            await self._tap("submit", path, "thank-you")
        except (aiohttp.ClientError, TimeoutError, LookupError) as error:
            self.figures.errors.append(f"{type(error).__name__}: {error}")
        finally:
            await self.session.close()

    async def _pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))

    async def _tap(self, action: str, path: str, next_page: str) -> None:
        await self._pause()
        csrf, position = _CSRF.search(self.html), _POSITION.search(self.html)
        if csrf is None or position is None:
            raise LookupError(f"no form on the page before {action}")
        form = {"csrf": csrf.group(1), "p": position.group(1), "b": action}
        await self._request("tap", "POST", path, 303, data=form)
        await self._get(next_page, path)

    async def _get(self, kind: str, path: str) -> None:
        self.html = await self._request(kind, "GET", path, 200)

    async def _request(self, kind: str, method: str, path: str, expected: int, **kwargs: object) -> str:
        started = time.perf_counter()
        async with self.session.request(method, self.base + path, allow_redirects=False, **kwargs) as response:
            body = await response.text()
            status = response.status
        self.figures.latencies[kind].append(time.perf_counter() - started)
        self.figures.requests += 1
        if status != expected:
            self.figures.errors.append(f"{method} {kind}: {status} instead of {expected}")
        return body


async def drive(base: str, path: str, phones: int, think: float, seed: int, server_pid: int) -> Round:
    figures = Figures()
    connector = aiohttp.TCPConnector(limit=0)
    rng = random.Random(seed)

    async def one(number: int) -> None:
        await asyncio.sleep(rng.uniform(0, think))  # phones arrive over the first think time
        await Phone(base, connector, figures, think, random.Random(seed * 1000 + number)).answer_survey(path)

    server, own, started = Usage.of(server_pid), Usage.of(os.getpid()), time.perf_counter()
    try:
        await asyncio.gather(*(one(number) for number in range(phones)))
    finally:
        await connector.close()
    seconds = time.perf_counter() - started
    return Round(figures, seconds, Usage.of(server_pid) - server, Usage.of(os.getpid()) - own)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, work_dir: Path, profile: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "WEB_LISTEN": f"127.0.0.1:{port}", "WEB_BASE_URL": base,
           "WEB_RATE_PER_MINUTE": "0"}  # every phone comes from 127.0.0.1
    log = (work_dir / "web.log").open("wb")
    command = [sys.executable, "-c", PROFILED_BOT, str(profile), "web"] if profile else [SURVEYBOT, "web"]
    process = subprocess.Popen(command, cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((work_dir / "web.log").read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError("surveybot web did not start")


async def stored_responses(database: storage.Database, survey_id: int) -> int:
    query = text("SELECT count(*) FROM respondent r WHERE r.survey_id = :survey AND r.channel = 'web' "
                 "AND r.submitted_at IS NOT NULL "
                 "AND (SELECT count(*) FROM answer a WHERE a.respondent_id = r.id) = :items")
    async with database.sessions() as session:
        return int((await session.execute(query, {"survey": survey_id, "items": ITEMS})).scalar_one())


async def run(phones: int, think: float, saturation_phones: int, work_dir: Path, seed: int = 19,
              profile: Path | None = None) -> Result:
    database_url = f"sqlite+aiosqlite:///{work_dir / 'web-load.sqlite3'}"
    database = await storage.open_database(database_url)
    try:
        survey = await storage.create_survey(database.sessions, spec_id=SPEC_ID, organization="压测组织",
                                             timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC))
        process, base = start_server(database_url, work_dir, profile)
        try:
            if profile:
                process.send_signal(signal.SIGUSR1)
            paced = await drive(base, f"/s/{survey.code}", phones, think, seed, process.pid)
            saturated = await drive(base, f"/s/{survey.code}", saturation_phones, 0, seed + 1, process.pid)
            if profile:
                process.send_signal(signal.SIGUSR2)
                await _written(profile)
        finally:
            process.terminate()
            process.wait(15)
        stored = await stored_responses(database, survey.id)
    finally:
        await database.close()
    return Result(paced, saturated, phones + saturation_phones, stored)


async def _written(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    size = -1
    while time.monotonic() < deadline and (not path.exists() or path.stat().st_size != size):
        size = path.stat().st_size if path.exists() else -1
        await asyncio.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(result: Result, phones: int, think: float) -> str:
    lines = [f"{phones} phones, think time {think:g} s (±50 %), SQLite, one `surveybot web` process, "
             f"{os.cpu_count()} CPUs:",
             f"{'page':<10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
    paced = result.paced.figures
    for kind in ("welcome", "tap", "question", "review", "thank-you"):
        values = paced.latencies.get(kind, [])
        lines.append(f"{kind:<10} {len(values):>6} " + " ".join(
            f"{1000 * percentile(values, share):>8.1f}" for share in (0.5, 0.95, 0.99)))
    lines.append(f"errors: {len(paced.errors)}" + "".join(f"\n  {e}" for e in paced.errors[:10]))
    lines.append(_usage_line(result.paced))
    saturated = result.saturated.figures
    lines.append(f"saturation ({result.phones - phones} phones, no think time): {saturated.requests} requests "
                 f"in {result.saturated.seconds:.1f} s = {result.pages_per_second:.0f} pages/s, "
                 f"p50 {1000 * percentile(saturated.latencies['question'], 0.5):.1f} ms, "
                 f"p99 {1000 * percentile(saturated.latencies['question'], 0.99):.1f} ms a question page; "
                 f"errors: {len(saturated.errors)}")
    lines.append(_usage_line(result.saturated))
    lines.append(f"stored: {result.stored} of {result.phones} responses submitted with all {ITEMS} answers")
    if result.telegram is not None:
        telegram = result.telegram.run
        lines.append(f"same machine, same run: web page {result.pages_per_second:.0f} pages/s "
                     f"({result.pages_per_second / 2:.0f} taps/s, a tap being a POST and its GET) · "
                     f"Telegram shell (aiogram, {len(result.telegram.updates_per_customer)} customers, no pause) "
                     f"{telegram.per_second:.0f} updates/s; Telegram errors: {telegram.errors}")
    return "\n".join(lines)


def _usage_line(measured: Round) -> str:
    requests = measured.figures.requests or 1
    return (f"  server CPU {measured.server.running:.1f} s ({1000 * measured.server.running / requests:.2f} ms "
            f"a request), waited for a core {measured.server.waiting:.1f} s; phones (this process) CPU "
            f"{measured.phones.running:.1f} s, waited {measured.phones.waiting:.1f} s; wall {measured.seconds:.1f} s")


async def run_all(arguments: argparse.Namespace, work_dir: Path) -> Result:
    """The web rounds, then the Telegram shell's round on a database of its own in the same folder."""
    profile = Path(arguments.profile).resolve() if arguments.profile else None
    result = await run(arguments.phones, arguments.think, arguments.saturation_phones, work_dir, profile=profile)
    if profile is not None:
        print_profile(profile, result.paced.figures.requests + result.saturated.figures.requests)
    if arguments.telegram_customers:
        result.telegram = await survey_run(work_dir, "aiogram", arguments.telegram_customers, 0.0, 10_000, None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between taps (±50 %%)")
    parser.add_argument("--saturation-phones", type=int, default=100)
    parser.add_argument("--telegram-customers", type=int, default=100,
                        help="customers of the Telegram shell's round (0: no Telegram round)")
    parser.add_argument("--profile", help="profile the server and write the profile here")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-load-") as work_dir:
        result = uvloop.run(run_all(arguments, Path(work_dir)))
    print(report(result, arguments.phones, arguments.think))
    failed = (result.paced.figures.errors or result.saturated.figures.errors or result.stored != result.phones
              or (result.telegram is not None and result.telegram.run.errors))
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
