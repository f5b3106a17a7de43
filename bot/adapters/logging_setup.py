"""Logging for the bot process: one line per record, and the bot token never printed."""

from __future__ import annotations

import logging
import re
import time

_TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token (`123456:ABC…`) with `<token>`."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self._secrets:
            message = message.replace(secret, "<token>")
        record.msg, record.args = _TOKEN_PATTERN.sub("<token>", message), None
        return True


def setup_logging(token: str | None, level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    # the process id tells replicas sharing a log apart
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactTokens((token,) if token else ()))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # aiogram's own line per update ("Update id=… is handled") and httpx's line per Bot API call (PTB)
    # repeat or crowd out surveybot.updates' line, which carries the user and the outcome: one line per
    # update is enough, except when debugging.
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for chatty in ("aiogram.event", "httpx"):
            logging.getLogger(chatty).setLevel(logging.WARNING)


UPDATE_LOG = logging.getLogger("surveybot.updates")


def log_update(update_id: int | None, kind: str, user_id: int | None, outcome: str, started: float) -> None:
    """The one line per update of either Telegram shell: id, kind, user, outcome and latency
    (`started` from time.perf_counter())."""
    UPDATE_LOG.info("update=%s kind=%s user=%s outcome=%s latency_ms=%.1f", update_id, kind, user_id, outcome,
                    (time.perf_counter() - started) * 1000)
