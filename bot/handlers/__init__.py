"""aiogram routers, one per feature; `get_routers()` assembles them in the order they must match.

Lead routers come before the respondent router: the respondent router takes every other message.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot.handlers import errors, respondent

    lead_routers: list[Router] = []  # each lead feature module adds its `router` here
    return [errors.router, *lead_routers, respondent.router]
