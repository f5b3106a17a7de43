"""bot/telegram_aiogram/client.py (JsonSession) passes aiogram's private `_dumps_json` keyword to
`BaseSession.prepare_value`, so that a call without files goes as one JSON body. This fails loudly
when an aiogram release drops or renames it (pyproject.toml bounds aiogram below 3.32 for that)."""

from __future__ import annotations

import inspect

from aiogram.client.session.base import BaseSession


def test_prepare_value_still_takes_the_private_dumps_json_keyword() -> None:
    parameters = inspect.signature(BaseSession.prepare_value).parameters
    assert "_dumps_json" in parameters, (
        "aiogram's BaseSession.prepare_value lost `_dumps_json`: JsonSession in "
        "bot/telegram_aiogram/client.py must change (or go) before aiogram is upgraded")
    assert {"value", "bot", "files"} <= set(parameters)
