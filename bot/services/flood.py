"""Per-chat flood control for messages: a chat may send a short burst, then about one message a second
is answered; the rest is dropped and counted (one log line a minute with the counts, not a line per
message). Text and other junk get a burst of BURST; commands, which a lead may type in a row, a burst
of COMMAND_BURST. Button presses are never dropped: an answer given by button is always stored."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)
BURST = 5  # messages a chat may send at once before the rate applies
COMMAND_BURST = 20
PER_SECOND = 1.0  # sustained messages a second answered per chat
REPORT_EVERY_SECONDS = 60.0
KEPT_CHATS = 10_000  # buckets kept; the oldest are forgotten (a forgotten chat starts with a full burst)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class ChatFloodGuard:
    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._burst = burst
        self._per_second = per_second
        self._buckets: dict[int, _Bucket] = {}
        self._dropped: Counter[int] = Counter()
        self._reported_at: float | None = None

    def admit(self, chat_id: int) -> bool:
        """Whether a message of `chat_id` arriving now is answered."""
        now = self._clock()
        bucket = self._buckets.pop(chat_id, None) or _Bucket(float(self._burst), now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._per_second)
        bucket.updated = now
        self._buckets[chat_id] = bucket  # re-inserted: the dict keeps the most recent chats last
        if len(self._buckets) > KEPT_CHATS:
            del self._buckets[next(iter(self._buckets))]
        admitted = bucket.tokens >= 1
        if admitted:
            bucket.tokens -= 1
        else:
            self._dropped[chat_id] += 1
        self._report(now)
        return admitted

    def _report(self, now: float) -> None:
        if self._reported_at is None:
            self._reported_at = now
        if now - self._reported_at < REPORT_EVERY_SECONDS or not self._dropped:
            return
        log.warning("flood control: dropped %d messages from %d chats in the last %.0f s (most: %s)",
                    sum(self._dropped.values()), len(self._dropped), now - self._reported_at,
                    self._dropped.most_common(3))
        self._dropped.clear()
        self._reported_at = now
