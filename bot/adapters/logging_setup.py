"""Logging for the bot process: one line per record, and the bot token never printed."""

from __future__ import annotations

import logging
import re

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
    # the process id tells the workers of `run --workers` (and replicas sharing a log) apart
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactTokens((token,) if token else ()))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # aiogram's own line per update ("Update id=… is handled") repeats surveybot.updates' line, which
    # also carries the user and the outcome: one line per update is enough, except when debugging.
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)
