"""The AsyncIOScheduler beside the chat shell: a reminder sweep every few minutes, a digest check.

The jobs hold no state: each run reads from the database what is due and claims it there, so a
missed or coalesced run only delays a reminder or a digest, and several replicas may run the same
jobs on one database without sending anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

SWEEP_JOB_ID = "reminder-sweep"
DIGEST_JOB_ID = "lead-digest"
DIGEST_CHECK_MINUTES = 10  # the digest is due from 18:00 survey time; checked this often
MISFIRE_GRACE_SECONDS = 60
Job = Callable[[], Awaitable[object]]


def create_scheduler(sweep: Job, digest: Job, sweep_minutes: float) -> AsyncIOScheduler:
    """A scheduler with both jobs added, not started (`start()` needs the running event loop)."""
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.add_job(sweep, IntervalTrigger(minutes=sweep_minutes), id=SWEEP_JOB_ID,
                      name="reminders to customers who have not finished", coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS, replace_existing=True)
    scheduler.add_job(digest, IntervalTrigger(minutes=DIGEST_CHECK_MINUTES), id=DIGEST_JOB_ID,
                      name="daily digest and target notices for audit leads", coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS, replace_existing=True)
    return scheduler
