"""The one log line per update: written for every update, a kind aiogram does not know included."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot, Dispatcher

from bot.telegram_aiogram.update_log import LogEachUpdate


async def test_an_update_of_an_unknown_kind_is_logged_as_unhandled_not_as_an_error(bot: Bot, caplog):
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.update.outer_middleware(LogEachUpdate())
    caplog.set_level(logging.INFO)

    with pytest.warns(RuntimeWarning, match="unknown update type"):  # aiogram's own word on it
        await dispatcher.feed_raw_update(bot, {"update_id": 7, "kind_from_the_future": {"id": 1}})

    lines = [record.getMessage() for record in caplog.records if record.name == "surveybot.updates"]
    assert len(lines) == 1
    assert lines[0].startswith("update=7 kind=unknown user=None outcome=unhandled latency_ms=")
