"""The services ring: the use-cases run through the engine on a real database (SQLite, or PostgreSQL
with TEST_DATABASE_URL) with `RecordingMessenger`, which keeps what each chat was shown.

`engine`: the engine assembled as `surveybot run` assembles it (bot/app.py), over that messenger.
`chat(user_id, language)`: a person; `await person.say("/start abc")`, `await person.press("Start")`,
`person.screen` (the message they look at now); a button is pressed by a part of its label.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from bot.adapters.settings import Settings
from bot.adapters.storage import Database
from bot.app import App, assemble
from bot.services.context import Press, Sender
from bot.services.engine import Engine
from bot.services.ports import Blocked, Gone, Keyboard, MenuCommand
from specs import load_catalog

ADMIN_ID = 4242


@dataclass
class Shown:
    chat_id: int
    text: str
    keyboard: Keyboard | None


@dataclass
class RecordingMessenger:
    """A `Messenger` that records every message, edit, file, photo and press answer per chat."""

    messages: dict[int, Shown] = field(default_factory=dict)
    files: list[tuple[int, str, bytes]] = field(default_factory=list)
    photos: dict[int, tuple[int, bytes, str | None]] = field(default_factory=dict)  # id → chat, PNG, caption
    photo_edits: list[int] = field(default_factory=list)
    press_answers: list[tuple[str, str | None]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
        if chat_id in self.blocked:
            raise Blocked("Forbidden: bot was blocked by the user")
        message_id = next(self._ids)
        self.messages[message_id] = Shown(chat_id, text, keyboard)
        return message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> None:
        if message_id not in self.messages:
            raise Gone("Bad Request: message to edit not found")
        self.messages[message_id] = Shown(chat_id, text, keyboard)

    async def send_document(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> None:
        self.files.append((chat_id, filename, content))

    async def send_photo(self, chat_id: int, content: bytes, filename: str, caption: str | None) -> int:
        self.files.append((chat_id, filename, content))
        message_id = next(self._ids)
        self.photos[message_id] = (chat_id, content, caption)
        return message_id

    async def edit_photo(self, chat_id: int, message_id: int, content: bytes, filename: str,
                         caption: str | None) -> None:
        if message_id not in self.photos:
            raise Gone("Bad Request: message to edit not found")
        self.photos[message_id] = (chat_id, content, caption)
        self.photo_edits.append(message_id)

    async def answer_press(self, press_id: str, text: str | None = None, alert: bool = False) -> None:
        self.press_answers.append((press_id, text))

    async def set_menu(self, commands: Sequence[MenuCommand], chat_id: int | None, language: str | None) -> None:
        return None

    async def username(self) -> str:
        return "audit_survey_bot"

    def latest(self, chat_id: int) -> tuple[int, Shown]:
        return max((item for item in self.messages.items() if item[1].chat_id == chat_id), key=lambda i: i[0])


@dataclass
class Person:
    engine: Engine
    messenger: RecordingMessenger
    user_id: int
    language: str
    _presses: itertools.count = field(default_factory=itertools.count)

    @property
    def sender(self) -> Sender:
        return Sender(self.user_id, self.user_id, self.language)

    @property
    def screen(self) -> Shown:
        return self.messenger.latest(self.user_id)[1]

    @property
    def labels(self) -> list[str]:
        return [button.text for row in self.screen.keyboard or () for button in row]

    async def say(self, text: str | None) -> None:
        await self.engine.message(self.sender, text)

    async def press(self, label: str) -> None:
        message_id, shown = self.messenger.latest(self.user_id)
        data = next(b.data for row in shown.keyboard or () for b in row if label in b.text)
        await self.press_data(data, message_id)

    async def press_data(self, data: str, message_id: int | None = None) -> None:
        press_id = f"{self.user_id}-{next(self._presses)}"
        await self.engine.press(self.sender, Press(press_id, message_id), data)

    async def answer_every_question(self, invite_code: str, button: int) -> None:
        """Open the invite, tap Start, tap the `button`-th answer (0: the first) of all 19, submit."""
        await self.say(f"/start {invite_code}")
        await self.press("Start")
        for _ in range(19):
            await self.press(self.labels[button])
        await self.press("Submit")

    @property
    def last_press_answer(self) -> str | None:
        return self.messenger.press_answers[-1][1]


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
def app(database: Database, messenger: RecordingMessenger) -> App:
    settings = Settings(admin_ids=frozenset({ADMIN_ID}), bot_username="audit_survey_bot")
    return assemble(settings, load_catalog(None), database, messenger)


@pytest.fixture
def engine(app: App) -> Engine:
    return app.engine


@pytest.fixture
def chat(engine: Engine, messenger: RecordingMessenger):  # noqa: ANN201 - a factory of Person
    return lambda user_id, language="en": Person(engine, messenger, user_id, language)
