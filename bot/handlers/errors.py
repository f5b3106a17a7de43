"""One place for unexpected errors: log with context, answer the user politely, never a traceback."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from locales import normalize_language, translator

router = Router(name="errors")
log = logging.getLogger(__name__)


@router.error()
async def unexpected_error(event: ErrorEvent) -> None:
    update = event.update
    user = (update.message or update.callback_query or update.edited_message)
    user = getattr(user, "from_user", None)
    log.exception("update %s failed for user %s", update.update_id, getattr(user, "id", None),
                  exc_info=event.exception)
    text = translator(normalize_language(getattr(user, "language_code", None))).gettext(
        "Sorry, something went wrong on our side. Your answers are saved; please try again in a moment."
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except Exception:  # noqa: BLE001 - the apology itself failed (e.g. Telegram is down): log and move on
        log.warning("could not tell user %s about the error", getattr(user, "id", None))
