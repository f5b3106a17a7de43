"""What every use-case is given: who acts and where (`Sender`, `Press`, what kind of message), and the
shared parts of the bot (`Deps`): the database, the specs, the settings, the outgoing messages and the
clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.adapters.settings import Settings
from bot.adapters.storage import Sessions
from bot.adapters.storage.admins import admin_ids
from bot.services.delivery import Delivery
from bot.services.ports import Clock, utc_now
from conversations.message_kinds import MessageKind
from locales import normalize_language
from specs import SpecCatalog


def message_kind(message: object) -> MessageKind:
    """What a shell's message carries, by its first filled field of the Bot API's names (aiogram's and
    python-telegram-bot's messages both name them so): text, voice, sticker, photo…; else OTHER."""
    return next((kind for kind in MessageKind if getattr(message, kind.value, None)), MessageKind.OTHER)


@dataclass(frozen=True)
class Sender:
    """The person behind an update and the chat it came from."""

    user_id: int
    chat_id: int
    language_code: str | None = None
    private_chat: bool = True


@dataclass
class Press:
    """A tapped button: the id to answer it by and the message that carried it."""

    id: str
    message_id: int | None
    answered: bool = False


@dataclass
class Deps:
    sessions: Sessions
    catalog: SpecCatalog
    settings: Settings
    delivery: Delivery
    clock: Clock = field(default=utc_now)

    async def admin_ids(self) -> frozenset[int]:
        """ADMIN_IDS and the administrators kept in the database (claim link, `surveybot admin add`)."""
        return self.settings.admin_ids | await admin_ids(self.sessions)

    def language_of(self, sender: Sender) -> str:
        return normalize_language(sender.language_code, self.settings.default_language)

    async def bot_username(self) -> str:
        return (self.settings.bot_username or await self.delivery.messenger.username()).lstrip("@")

    async def answer(self, press: Press, text: str | None = None, alert: bool = False) -> None:
        """Answer a button press once (Telegram shows a spinner until then); failures are only logged."""
        if press.answered:
            return
        press.answered = True
        await self.delivery.answer_press(press.id, text, alert)
