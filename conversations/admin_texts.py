"""What the person who opens the administrator's claim link reads."""

from __future__ import annotations

from locales import translator


def admin_claimed_text(language: str) -> str:
    return translator(language).gettext(
        "You are now the administrator of this bot. Create your first survey with /newsurvey; "
        "the command menu lists the others.")


def admin_claim_unusable_text(language: str) -> str:
    return translator(language).gettext(
        "This administrator link has been used already or is no longer valid. Ask the operator for help.")
