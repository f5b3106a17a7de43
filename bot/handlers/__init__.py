"""aiogram routers, one per feature; `get_routers()` assembles them in the order they must match.

Lead routers come before the respondent router: the respondent router takes every other message and
every other button. A customer's answer buttons, most of the traffic, are matched first.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot.handlers import errors, lead_maturity, lead_reminders, lead_reports, lead_setup, respondent

    # each lead feature module adds its `router` here
    lead_routers: list[Router] = [lead_setup.router, lead_maturity.router, lead_reminders.router,
                                  lead_reports.router]
    return [errors.router, respondent.buttons_router, *lead_routers, respondent.router]
