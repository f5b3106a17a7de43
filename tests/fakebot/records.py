"""What the fake Bot API server remembers: requests, messages, bot activity, callback answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    file_name: str
    data: bytes
    content_type: str


@dataclass
class RecordedRequest:
    """One call of a Bot API method, as the bot made it, and how the fake answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    time: float
    content_type: str = ""  # of the request body: application/json, a form or multipart/form-data
    status: int = 0
    response: dict[str, Any] | None = None

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class ChatMessage:
    """A message in a chat as the person sees it now (edits update it)."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    kind: str = "text"
    text: str = ""
    reply_markup: dict[str, Any] | None = None
    file: UploadedFile | None = None
    file_ref: str | None = None
    deleted: bool = False
    edit_count: int = 0

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        if not self.reply_markup:
            return []
        return list(self.reply_markup.get("inline_keyboard", []))

    @property
    def button_rows(self) -> list[list[str]]:
        return [[button["text"] for button in row] for row in self.inline_keyboard]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.inline_keyboard for button in row]


@dataclass(frozen=True)
class BotActivity:
    """The bot sent, edited or deleted a message; `text` is what the message showed right after."""

    seq: int
    chat_id: int
    message_id: int
    action: str
    text: str
    time: float


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery call, matched to the person who pressed the button."""

    callback_query_id: str
    user_id: int | None
    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class Fault:
    """An error the server answers for the next `remaining` calls of a method."""

    method: str
    status: int
    description: str
    retry_after: int | None
    remaining: int
    parameters: dict[str, Any] = field(default_factory=dict)
