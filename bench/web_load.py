"""Phones answering the web page: `surveybot web` in its own process on a SQLite file, each simulated
phone a browser of its own (cookie jar) that reads, thinks and taps through the whole survey over HTTP.

    .venv/bin/python -m bench.web_load [--phones 200] [--think 2] [--saturation-phones 100]

Round 1: `--phones` phones with `--think` seconds (±50 %) between taps, all starting within the first
think time: p50/p95/p99 latency of each kind of page and the errors (a page that is not 200, a tap
that is not 303, a broken connection). Round 2: `--saturation-phones` phones that tap without
thinking: pages a second at saturation. Then every response must be stored: each phone's respondent
submitted with 19 answers. Prints the figures; exit code 1 on an error or a response not stored.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
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
from sqlalchemy import text

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


@dataclass
class Result:
    paced: Figures
    saturated: Figures
    saturated_seconds: float
    phones: int
    stored: int  # submitted web respondents with every answer stored

    @property
    def pages_per_second(self) -> float:
        return self.saturated.requests / self.saturated_seconds if self.saturated_seconds else 0.0


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


async def drive(base: str, path: str, phones: int, think: float, seed: int) -> tuple[Figures, float]:
    figures = Figures()
    connector = aiohttp.TCPConnector(limit=0)
    rng = random.Random(seed)

    async def one(number: int) -> None:
        await asyncio.sleep(rng.uniform(0, think))  # phones arrive over the first think time
        await Phone(base, connector, figures, think, random.Random(seed * 1000 + number)).answer_survey(path)

    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(number) for number in range(phones)))
    finally:
        await connector.close()
    return figures, time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, work_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "WEB_LISTEN": f"127.0.0.1:{port}", "WEB_BASE_URL": base,
           "WEB_RATE_PER_MINUTE": "0"}  # every phone comes from 127.0.0.1
    log = (work_dir / "web.log").open("wb")
    process = subprocess.Popen([SURVEYBOT, "web"], cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
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


async def run(phones: int, think: float, saturation_phones: int, work_dir: Path, seed: int = 19) -> Result:
    database_url = f"sqlite+aiosqlite:///{work_dir / 'web-load.sqlite3'}"
    database = await storage.open_database(database_url)
    try:
        survey = await storage.create_survey(database.sessions, spec_id=SPEC_ID, organization="压测组织",
                                             timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC))
        process, base = start_server(database_url, work_dir)
        try:
            paced, _ = await drive(base, f"/s/{survey.code}", phones, think, seed)
            saturated, seconds = await drive(base, f"/s/{survey.code}", saturation_phones, 0, seed + 1)
        finally:
            process.terminate()
            process.wait(15)
        stored = await stored_responses(database, survey.id)
    finally:
        await database.close()
    return Result(paced, saturated, seconds, phones + saturation_phones, stored)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(result: Result, phones: int, think: float) -> str:
    lines = [f"{phones} phones, think time {think:g} s (±50 %), SQLite, one `surveybot web` process:",
             f"{'page':<10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
    for kind in ("welcome", "tap", "question", "review", "thank-you"):
        values = result.paced.latencies.get(kind, [])
        lines.append(f"{kind:<10} {len(values):>6} " + " ".join(
            f"{1000 * percentile(values, share):>8.1f}" for share in (0.5, 0.95, 0.99)))
    lines.append(f"errors: {len(result.paced.errors)}" + "".join(f"\n  {e}" for e in result.paced.errors[:10]))
    saturated = result.saturated
    lines.append(f"saturation ({result.phones - phones} phones, no think time): {saturated.requests} requests "
                 f"in {result.saturated_seconds:.1f} s = {result.pages_per_second:.0f} pages/s, "
                 f"p50 {1000 * percentile(saturated.latencies['question'], 0.5):.1f} ms, "
                 f"p99 {1000 * percentile(saturated.latencies['question'], 0.99):.1f} ms a question page; "
                 f"errors: {len(saturated.errors)}")
    lines.append(f"stored: {result.stored} of {result.phones} responses submitted with all {ITEMS} answers")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between taps (±50 %%)")
    parser.add_argument("--saturation-phones", type=int, default=100)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-load-") as work_dir:
        result = asyncio.run(run(arguments.phones, arguments.think, arguments.saturation_phones, Path(work_dir)))
    print(report(result, arguments.phones, arguments.think))
    failed = result.paced.errors or result.saturated.errors or result.stored != result.phones
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
