"""What /start, /help, /language and /cancel tell an audit lead who is not answering a survey."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.glossary import glossary
from locales import translator


def lead_help_text(language: str, commands: Sequence[tuple[str, str]]) -> str:
    """`commands`: (name, translated description) of the lead's menu; then the words of the summary,
    explained (conversations.glossary)."""
    _ = translator(language).gettext
    lines = [_("You lead audits here. What you can do:"), ""]
    lines += [f"/{name} – {description}" for name, description in commands]
    lines += ["", _("Commands never need a survey code: with several surveys the bot asks which one."),
              "", _("The words of the summary, in plain terms:")]
    lines += [f"• {term}: {explanation}" for term, explanation in glossary(language)]
    return "\n".join(lines)


def lead_language_text(language: str) -> str:
    return translator(language).gettext(
        "The bot speaks your Telegram app's language (中文 or English); change it in Telegram's settings.")


def lead_nothing_to_cancel_text(language: str) -> str:
    return translator(language).gettext("There is nothing to cancel.")
