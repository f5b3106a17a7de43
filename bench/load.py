"""Many customers complete the survey at once through the real bot process, on each Telegram framework
in turn, then the same load on a bare aiogram echo bot as the baseline.

    .venv/bin/python -m bench.load [--framework aiogram|ptb|both] [--customers 500] [--think 0]
                                   [--send-rate 10000] [--rounds 1] [--profile PATH]

Run from the repository root (so that `tests.fakebot` imports). The bot runs as `surveybot run
--framework X` (long polling, a SQLite file in a temporary directory; X is aiogram or ptb, and with
`--framework both`, the default, first one then the other, each on a fresh database and a fresh fake
server set up alike) against a local fake Bot API server; the customers (tests/fakebot/customers.py)
share this process with that server. Each customer opens the
invite link, picks its language, answers the 19 questions by tapping ratings and submits (22-23
updates). Then each echo customer sends tests/e2e/echo_bot.py as many text messages as its survey
twin sent updates. Before the measured customers start, one warm-up customer completes the survey
(and sends the echo bot 22 messages): a bot runs for days, and the first use of each code path
(compiling SQL, loading catalogs) is start-up, not load. The harness runs on uvloop (it shares the
two cores with the bot under test, so the less it takes the better) and does not collect garbage
while the customers run, so that its own pauses are not counted as the bot's.

Printed for each bot: updates per second, the latency of an update (from queuing it to the bot's reply
or edit in the chat) at p50/p95/p99, failed updates (without a reply, answered with the bot's
apology, or logged by the bot with outcome=error), errors, and CPU seconds of the bot process (its
event-loop thread and its other threads, if any) and of this process (the harness); for the survey
bot also its own per-update latency from its log and what it stored; then the ratio of each survey
bot's throughput to the echo bot's and, with both frameworks, a table of the two and the PTB/aiogram
throughput ratio. Goal on SQLite with 2 cores: the survey bot reaches at least 60 % of the echo bot's
throughput, p99 < 100 ms.

`--think 0` (the default) has every customer tap as soon as it sees the reply: a closed loop that
measures the most updates per second, where latency is mostly queueing (customers / throughput).
`--think S` waits 0.5-1.5 x S seconds before each tap, like people reading: latency at a lighter load.
`--send-rate` is the bot's SEND_RATE_PER_SECOND (its production default, 25, caps replies at 25 per
second). `--rounds N` runs the bots N times, one after the other, and ends with the median
ratios: on a machine whose speed drifts (a shared one), one run's ratio can be off by ten points.
`--profile PATH` profiles the survey bot's event-loop thread (CPU time, cProfile) while the
customers run, writes PATH (PATH with .aiogram or .ptb before its suffix for each of both frameworks)
and prints where that time went.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import pstats
import random
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import uvloop

from tests.e2e.surveys import create_survey
from tests.fakebot import TEST_BOT_TOKEN, BotProcess, FakeTelegramServer
from tests.fakebot.customers import TimedUser, UpdateTiming, make_customers

FRAMEWORKS = ("aiogram", "ptb")
GOAL_SHARE_OF_ECHO = 0.60
GOAL_P99_SECONDS = 0.100
ITEMS = 19
REPOSITORY = Path(__file__).resolve().parent.parent
ECHO_BOT = REPOSITORY / "tests" / "e2e" / "echo_bot.py"
FIRST_SURVEY_USER = 800_001
FIRST_ECHO_USER = 2_800_001
WARM_UP_USER = 700_001  # one customer completes the survey before the measured ones start
WARM_UP_UPDATES = 22
READY_TIMEOUT = 60
REPLY_TIMEOUT = 30
BOT_LATENCY = re.compile(r"latency_ms=([0-9.]+)")
BOT_FAILED_UPDATE = re.compile(r" outcome=error ")
LOG_PROBLEM = re.compile(r" (WARNING|ERROR|CRITICAL) (?!aiogram\.dispatcher:? Received SIG)")
# `surveybot` under cProfile, timing the CPU of the event loop's thread (the wall clock would charge
# every await to its caller): SIGUSR1 starts profiling, SIGUSR2 stops it and writes argv[1].
PROFILED_BOT = """
import cProfile, signal, sys, time
from bot.cli import app
output = sys.argv.pop(1)
profile = cProfile.Profile(time.thread_time)
def write(*_):
    profile.disable()
    profile.dump_stats(output)
signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
signal.signal(signal.SIGUSR2, write)
app()
"""


@dataclass(frozen=True)
class Cpu:
    """CPU seconds of the bot: the main (event-loop) thread of its process, and all its other threads."""

    main: float
    others: float

    @classmethod
    def of(cls, pid: int) -> Cpu | None:
        """So far (Linux /proc; None elsewhere)."""
        main = others = 0.0
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                seconds = _cpu_seconds(task / "stat")
                if int(task.name) == pid:
                    main += seconds
                else:
                    others += seconds
        except (OSError, ValueError):
            return None
        return cls(main, others)

    def __sub__(self, earlier: Cpu) -> Cpu:
        return Cpu(self.main - earlier.main, self.others - earlier.others)


def _cpu_seconds(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class LoadRun:
    """What one load run measured."""

    label: str
    timings: list[UpdateTiming]
    seconds: float
    unfinished: int
    refused_calls: int
    log_problems: list[str]
    bot_cpu: Cpu | None
    harness_cpu_seconds: float
    apologies: int = 0  # replies that were the bot's apology for an error; the customer tried again
    failed_in_log: int = 0  # updates the bot itself logged with outcome=error

    @property
    def latencies(self) -> list[float]:
        return [timing.latency for timing in self.timings if timing.latency is not None]

    @property
    def unanswered(self) -> int:
        return sum(1 for timing in self.timings if timing.replied_at is None)

    @property
    def per_second(self) -> float:
        return len(self.timings) / self.seconds

    @property
    def failed_updates(self) -> int:
        """Updates the customer saw fail (no reply, or the bot's apology), or the bot logged as failed."""
        return self.unanswered + self.apologies + self.failed_in_log

    @property
    def errors(self) -> int:
        return self.unanswered + self.unfinished + self.refused_calls + len(self.log_problems)


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of `values` (at least two)."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


async def measure(label: str, bot: BotProcess, telegram: FakeTelegramServer, users: list[TimedUser],
                  conversations: Sequence[Awaitable[bool]], profile: Path | None = None) -> LoadRun:
    """Run the conversations at once (profiling the bot meanwhile); stop the bot; collect the figures."""
    assert bot.process is not None
    if profile is not None:
        bot.process.send_signal(signal.SIGUSR1)
    cpu_before = Cpu.of(bot.process.pid)
    harness_before = time.process_time()
    gc.disable()  # the harness's own full collections (it keeps every message) would stall the replies
    started = time.monotonic()
    finished = await asyncio.gather(*conversations)
    seconds = time.monotonic() - started
    gc.enable()
    harness_cpu = time.process_time() - harness_before
    cpu_after = Cpu.of(bot.process.pid)
    if profile is not None:
        bot.process.send_signal(signal.SIGUSR2)
        await telegram.wait_until(lambda: True if profile.exists() else None, 10)
    await bot.stop()
    refused = [request for request in telegram.requests() if request.status not in (0, 200)]
    problems = [line for line in bot.log_text().splitlines() if LOG_PROBLEM.search(line)]
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return LoadRun(label, [timing for user in users for timing in user.timings], seconds,
                   finished.count(False), len(refused), problems, cpu, harness_cpu)


@dataclass(frozen=True)
class SurveyRun:
    framework: str
    run: LoadRun
    updates_per_customer: list[int]
    bot_latencies: list[float]
    answers: int
    submitted: int


async def survey_run(folder: Path, framework: str, customers: int, think: float, send_rate: float,
                     profile: Path | None) -> SurveyRun:
    database_path = folder / f"bot-{framework}.sqlite3"
    database_url = f"sqlite+aiosqlite:///{database_path}"
    async with FakeTelegramServer() as telegram:
        survey = await create_survey(database_url, organization="Load Test Ltd")
        environment = {"BOT_TOKEN": TEST_BOT_TOKEN, "TELEGRAM_API_URL": telegram.url,
                       "DATABASE_URL": database_url, "BOT_USERNAME": telegram.bot_username,
                       "DEFAULT_LANGUAGE": "zh", "TIMEZONE": "Asia/Shanghai",
                       "SEND_RATE_PER_SECOND": str(send_rate), "TELEGRAM_FRAMEWORK": framework,
                       "ADMIN_IDS": "1"}  # an administrator, so the bot prints no claim link (a warning)
        command = [sys.executable, "-c", PROFILED_BOT, str(profile)] if profile else None
        bot = BotProcess(environment, args=("run", "--framework", framework), command=command,
                         log_path=folder / f"bot-{framework}.log", cwd=folder, server=telegram)
        bot.start()
        await bot.wait_ready(READY_TIMEOUT)
        warm_up = make_customers(telegram, survey.code, 1, first_user_id=WARM_UP_USER,
                                 reply_timeout=REPLY_TIMEOUT)
        assert await warm_up[0].complete(), "the warm-up customer could not complete the survey"
        people = make_customers(telegram, survey.code, customers, first_user_id=FIRST_SURVEY_USER,
                                reply_timeout=REPLY_TIMEOUT, think=think)
        run = await measure(f"survey bot ({framework})", bot, telegram, [person.user for person in people],
                            [person.complete() for person in people], profile)
        measured_lines = "\n".join(line for line in bot.log_text().splitlines()
                                    if f" user={WARM_UP_USER} " not in line)
        run = replace(run, apologies=sum(person.apologies for person in people),
                      failed_in_log=len(BOT_FAILED_UPDATE.findall(measured_lines)))
        bot_latencies = [float(value) / 1000 for value in BOT_LATENCY.findall(measured_lines)]
    with sqlite3.connect(database_path) as db:
        answers = db.execute("SELECT count(*) FROM answer JOIN respondent ON respondent.id = respondent_id "
                             "WHERE telegram_user_id != ?", (WARM_UP_USER,)).fetchone()[0]
        submitted = db.execute("SELECT count(*) FROM respondent WHERE submitted_at IS NOT NULL "
                               "AND telegram_user_id != ?", (WARM_UP_USER,)).fetchone()[0]
    return SurveyRun(framework, run, [len(person.user.timings) for person in people], bot_latencies, answers,
                     submitted)


async def echo_conversation(user: TimedUser, updates: int, think: float) -> bool:
    """Send `updates` text messages one after another, each after the echo of the one before."""
    pause = random.Random(user.user_id)
    for number in range(updates):
        if think > 0:
            await asyncio.sleep(pause.uniform(0.5, 1.5) * think)
        if await user.say(f"message {number + 1}") is None:
            return False
    return True


async def echo_run(folder: Path, updates_per_customer: list[int], think: float) -> LoadRun:
    async with FakeTelegramServer() as telegram:
        environment = {"BOT_TOKEN": TEST_BOT_TOKEN, "TELEGRAM_API_URL": telegram.url}
        bot = BotProcess(environment, args=(), command=[sys.executable, str(ECHO_BOT)],
                         log_path=folder / "echo.log", cwd=folder, server=telegram)
        bot.start()
        await bot.wait_ready(READY_TIMEOUT)
        warm_up = TimedUser(telegram, WARM_UP_USER, "Warm-up", "zh-hans", reply_timeout=REPLY_TIMEOUT)
        assert await echo_conversation(warm_up, WARM_UP_UPDATES, think=0), "the echo bot did not answer"
        users = [TimedUser(telegram, FIRST_ECHO_USER + number, f"Echo{number}", "zh-hans",
                           reply_timeout=REPLY_TIMEOUT)
                 for number in range(len(updates_per_customer))]
        return await measure("echo bot", bot, telegram, users,
                             [echo_conversation(user, updates, think)
                              for user, updates in zip(users, updates_per_customer, strict=True)])


def problem_kind(log_line: str) -> str:
    """A log line without its time stamp and with its numbers (update, user, chat ids) as N."""
    return re.sub(r"\d+", "N", log_line.split(" ", 2)[-1])


def report(run: LoadRun) -> None:
    p50, p95, p99 = percentiles(run.latencies)
    print(f"{run.label}:")
    print(f"  updates:             {len(run.timings):,} in {run.seconds:.1f} s")
    print(f"  updates per second:  {run.per_second:.1f}")
    print(f"  latency p50/p95/p99: {p50 * 1000:.0f} / {p95 * 1000:.0f} / {p99 * 1000:.0f} ms"
          f"   (goal p99 < {GOAL_P99_SECONDS * 1000:.0f} ms)")
    print(f"  failed updates:      {run.failed_updates} ({run.unanswered} without a reply, {run.apologies} "
          f"answered with an apology, {run.failed_in_log} logged by the bot as outcome=error)")
    print(f"  errors:              {run.errors} ({run.unanswered} updates without a reply, "
          f"{run.unfinished} customers unfinished, {run.refused_calls} Bot API calls refused, "
          f"{len(run.log_problems)} warnings or errors in the bot log); customers saw "
          f"{run.apologies} apologies and tried again")
    for kind, count in Counter(problem_kind(line) for line in run.log_problems).most_common(5):
        print(f"      {count} x {kind}")
    if run.bot_cpu is not None:
        per_update = (run.bot_cpu.main + run.bot_cpu.others) / len(run.timings) * 1000
        print(f"  bot CPU:             {run.bot_cpu.main:.1f} s event-loop thread + "
              f"{run.bot_cpu.others:.1f} s other threads = {per_update:.1f} ms per update")
    print(f"  harness CPU:         {run.harness_cpu_seconds:.1f} s (wall {run.seconds:.1f} s)")


def package_of(filename: str) -> str:
    """Where a profiled function lives: a third-party package, a folder of this project, or Python."""
    if filename.startswith("~") or filename.startswith("<"):
        return "built-in functions (C)" if filename == "~" else "generated code"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if path.is_relative_to(REPOSITORY):
        return f"{path.relative_to(REPOSITORY).parts[0]}/ (this project)"
    return f"python: {path.parent.name if path.parent.name != 'lib' else path.stem}"


def print_profile(path: Path, updates: int, lines: int = 25) -> None:
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\nsurvey bot event-loop thread, CPU while the customers ran ({path}): {total:.1f} s, "
          f"{total / updates * 1000:.1f} ms per update; own time by package:")
    by_package: Counter[str] = Counter()
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[package_of(filename)] += own
    for package, seconds in by_package.most_common(12):
        print(f"  {seconds:6.2f} s  {seconds / total:4.0%}  {package}")
    print("top functions by own time:")
    stats.sort_stats("tottime").print_stats(lines)


def profile_path(profile: Path | None, framework: str, frameworks: Sequence[str]) -> Path | None:
    """Where the profile of the survey bot on `framework` goes: PATH itself for one framework, PATH with
    the framework's name before its suffix for each of both."""
    if profile is None or len(frameworks) == 1:
        return profile
    return profile.with_name(f"{profile.stem}.{framework}{profile.suffix}")


def report_survey(survey: SurveyRun, customers: int) -> None:
    report(survey.run)
    p50, p95, p99 = percentiles(survey.bot_latencies)
    print(f"  inside the bot:      p50/p95/p99 {p50 * 1000:.0f} / {p95 * 1000:.0f} / {p99 * 1000:.0f} ms "
          f"(its log, {len(survey.bot_latencies):,} updates)")
    print(f"  stored:              {survey.answers:,} answers (expected {customers * ITEMS:,}), "
          f"{survey.submitted:,} submitted (expected {customers:,})")


def compare_frameworks(surveys: Sequence[SurveyRun]) -> float:
    """A table of the survey bot on each framework; PTB's throughput over aiogram's."""
    print(f"{'framework':10} {'updates/s':>10} {'p50 / p95 / p99 ms':>20} {'failed updates':>15}")
    for survey in surveys:
        p50, p95, p99 = percentiles(survey.run.latencies)
        latency = f"{p50 * 1000:.0f} / {p95 * 1000:.0f} / {p99 * 1000:.0f}"
        print(f"{survey.framework:10} {survey.run.per_second:10.1f} {latency:>20} {survey.run.failed_updates:15}")
    by_framework = {survey.framework: survey.run.per_second for survey in surveys}
    ratio = by_framework["ptb"] / by_framework["aiogram"]
    print(f"ptb / aiogram throughput: {ratio:.0%}")
    return ratio


@dataclass(frozen=True)
class Round:
    """The ratios one round measured: each framework's survey bot over the echo bot, PTB over aiogram."""

    share_of_echo: dict[str, float]
    ptb_over_aiogram: float | None


async def one_round(frameworks: Sequence[str], customers: int, think: float, send_rate: float,
                    profile: Path | None) -> Round:
    """The survey bot's run on each framework, then the echo bot's, each reported; the ratios of their
    throughputs."""
    print(f"{customers} customers, think {think:g} s, bot SEND_RATE_PER_SECOND {send_rate:g}, "
          f"survey bot on {' then '.join(frameworks)}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as folder:
        surveys = [await survey_run(Path(folder), framework, customers, think, send_rate,
                                    profile_path(profile, framework, frameworks))
                   for framework in frameworks]
        echo = await echo_run(Path(folder), surveys[0].updates_per_customer, think)
    for survey in surveys:
        report_survey(survey, customers)
    report(echo)
    shares = {}
    for survey in surveys:
        shares[survey.framework] = survey.run.per_second / echo.per_second
        print(f"survey bot ({survey.framework}) / echo bot throughput: {shares[survey.framework]:.0%}   "
              f"(goal >= {GOAL_SHARE_OF_ECHO:.0%})")
    ratio = compare_frameworks(surveys) if len(surveys) == 2 else None
    if profile is not None:
        for survey in surveys:
            path = profile_path(profile, survey.framework, frameworks)
            assert path is not None
            print_profile(path, len(survey.run.timings))
    return Round(shares, ratio)


async def main(frameworks: Sequence[str], customers: int, think: float, send_rate: float,
               profile: Path | None, rounds: int) -> None:
    results = []
    for number in range(1, rounds + 1):
        if rounds > 1:
            print(f"\n=== round {number} of {rounds}")
        results.append(await one_round(frameworks, customers, think, send_rate, profile))
    if rounds == 1:
        return
    print()
    for framework in frameworks:
        shares = [result.share_of_echo[framework] for result in results]
        print(f"survey bot ({framework}) / echo bot throughput: {', '.join(f'{share:.0%}' for share in shares)}; "
              f"median {statistics.median(shares):.0%}   (goal >= {GOAL_SHARE_OF_ECHO:.0%})")
    ratios = [result.ptb_over_aiogram for result in results if result.ptb_over_aiogram is not None]
    if ratios:
        print(f"ptb / aiogram throughput: {', '.join(f'{ratio:.0%}' for ratio in ratios)}; "
              f"median {statistics.median(ratios):.0%}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=(*FRAMEWORKS, "both"), default="both",
                        help="the survey bot's Telegram framework (surveybot run --framework X); both: each in turn")
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a customer waits before each tap (0: at once)")
    parser.add_argument("--send-rate", type=float, default=10_000,
                        help="the bot's SEND_RATE_PER_SECOND (production default 25)")
    parser.add_argument("--profile", type=Path, help="profile the survey bot and write the profile here")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the bots this many times, one after the other, and print the median ratios")
    arguments = parser.parse_args()
    if arguments.profile and arguments.rounds > 1:
        parser.error("--profile profiles one run: use it with --rounds 1")
    chosen = FRAMEWORKS if arguments.framework == "both" else (arguments.framework,)
    uvloop.run(main(chosen, arguments.customers, arguments.think, arguments.send_rate,
                    arguments.profile.resolve() if arguments.profile else None, arguments.rounds))
