"""aiogram routers, one per feature; `get_routers()` assembles them in the order they must match."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot.handlers import errors, respondent

    return [errors.router, respondent.router]
