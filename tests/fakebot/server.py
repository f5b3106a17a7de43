"""A local fake of the Telegram Bot API, served over HTTP for a real bot process to talk to.

It speaks the wire formats of the Bot API (`POST <base>/bot<token>/<method>` with a JSON body, or
form-urlencoded or multipart fields with JSON-encoded values, as aiogram sends) and answers like Telegram:
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from .records import (
    BotActivity,
    CallbackAnswer,
    ChatMessage,
    Fault,
    RecordedRequest,
    UploadedFile,
)
from .telegram_text import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    EntityParseError,
    oversized_callback_data,
    visible_text,
)

T = TypeVar("T")
Params = dict[str, Any]
Files = dict[str, UploadedFile]

# Fields whose form value is a plain string; every other field carries JSON (numbers, booleans, objects).
STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "url", "action", "description",
    "short_description", "name", "secret_token", "inline_message_id", "language_code", "emoji",
    "title", "query", "message_effect_id", "business_connection_id", "ip_address",
    "photo", "document", "video", "audio", "animation", "voice", "video_note", "sticker", "thumbnail",
})
MEDIA_KINDS = ("photo", "document")
FLOOD_LIMITED_PREFIXES = ("send", "copy", "forward", "edit")
BLOCKABLE_PREFIXES = ("send", "copy", "forward", "edit", "delete")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CALLBACK_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class BotApiError(Exception):
    """Raised by a method handler to answer `{"ok": false, ...}` with an HTTP status."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters or {}


def _decode_field(name: str, value: str) -> Any:
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _int_param(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = params.get(name, default)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise BotApiError(400, f"Bad Request: invalid {name} specified") from error


class FakeTelegramServer:
    """The fake Bot API on 127.0.0.1, a random free port: `async with FakeTelegramServer() as telegram:`."""

    def __init__(self, *, bot_username: str = "audit_survey_bot", bot_first_name: str = "Audit Survey",
                 host: str = "127.0.0.1", latency: float = 0.0) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.latency = latency
        self.port: int | None = None
        self.bot_id: int | None = None
        self.webhook: dict[str, Any] = {}
        self.recorded: list[RecordedRequest] = []
        self.activity: list[BotActivity] = []
        self.answers: list[CallbackAnswer] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._runner: web.AppRunner | None = None
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._chats: dict[int, dict[int, ChatMessage]] = defaultdict(dict)
        self._next_message_id: dict[int, int] = defaultdict(lambda: 1)
        self._people: dict[int, dict[str, Any]] = {}
        self._pending_callbacks: dict[str, int] = {}
        self._answer_of_query: dict[str, CallbackAnswer] = {}
        self._faults: list[Fault] = []
        self._blocked: set[int] = set()
        self._refused_tokens: dict[str, int] = {}
        self._flood_per_second: float | None = None
        self._flood_per_chat_per_second: float | None = None
        self._recent_sends: deque[tuple[float, int | None]] = deque()
        self._changed = asyncio.Event()
        self._chat_changed: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self._chat_activity: dict[int, list[BotActivity]] = defaultdict(list)
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None
        self._handlers: dict[str, Callable[[Params, Files], Awaitable[Any]]] = {
            name.lower(): getattr(self, f"_api_{name}") for name in (
                "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "setMyCommands",
                "deleteMyCommands", "getMyCommands", "sendMessage", "editMessageText",
                "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup", "deleteMessage",
                "answerCallbackQuery",
                "sendPhoto", "sendDocument", "sendChatAction", "getChat",
            )
        }

    # ----------------------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        """The base URL to give the bot as TELEGRAM_API_URL."""
        if self.port is None:
            raise RuntimeError("the fake Telegram server is not started")
        return f"http://{self.host}:{self.port}"

    async def start(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        for event in self._chat_changed.values():
            event.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------------------- acting as Telegram
    def push_update(self, payload: dict[str, Any]) -> int:
        """Queue an update such as `{"message": {...}}` for the bot; return its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **payload})
        self._notify()
        return update_id

    def register_person(self, user: dict[str, Any]) -> None:
        """Remember a Telegram user so their private chat can be described in messages."""
        self._people[int(user["id"])] = user

    def take_message_id(self, chat_id: int) -> int:
        """The next message id of a chat (users and the bot share one counter, as in Telegram)."""
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def store_user_message(self, chat_id: int, text: str) -> ChatMessage:
        message = ChatMessage(message_id=self.take_message_id(chat_id), chat_id=chat_id, from_bot=False,
                              date=int(time.time()), text=text)
        self._chats[chat_id][message.message_id] = message
        return message

    def new_callback_query_id(self, user_id: int) -> str:
        query_id = f"{user_id}{next(self._callback_ids):08d}"
        self._pending_callbacks[query_id] = user_id
        return query_id

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._updates)

    # ----------------------------------------------------------------------------- what tests read
    def message_json(self, message: ChatMessage) -> dict[str, Any]:
        """The Message object Telegram would return or deliver for this stored message."""
        person = self._people.get(message.chat_id) or {"id": message.chat_id, "is_bot": False,
                                                       "first_name": "User"}
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self._chat_json(message.chat_id),
            "from": self._bot_user() if message.from_bot else person,
        }
        if message.edit_count:
            data["edit_date"] = int(time.time())
        if message.kind == "text":
            data["text"] = message.text
        elif message.text:
            data["caption"] = message.text
        if message.kind == "photo":
            data["photo"] = [{"file_id": message.file_ref, "file_unique_id": f"u{message.file_ref}",
                              "width": 800, "height": 600, "file_size": len(message.file.data)
                              if message.file else 0}]
        if message.kind == "document":
            data["document"] = {
                "file_id": message.file_ref, "file_unique_id": f"u{message.file_ref}",
                "file_name": message.file.file_name if message.file else "document",
                "mime_type": message.file.content_type if message.file else "application/octet-stream",
                "file_size": len(message.file.data) if message.file else 0,
            }
        if message.inline_keyboard:
            data["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
        return data

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        """Every message of a chat in order, the person's and the bot's."""
        chat = self._chats.get(chat_id, {})
        return [chat[key] for key in sorted(chat) if include_deleted or not chat[key].deleted]

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        return [message for message in self.messages(chat_id) if message.from_bot]

    def message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        return self._chats.get(chat_id, {}).get(message_id)

    def latest_bot_message(self, chat_id: int, *, with_keyboard: bool = False) -> ChatMessage | None:
        candidates = [m for m in self.bot_messages(chat_id) if m.inline_keyboard or not with_keyboard]
        return candidates[-1] if candidates else None

    def activity_seq(self) -> int:
        """The sequence number of the latest bot activity (0 before any)."""
        return self.activity[-1].seq if self.activity else 0

    def requests(self, method: str | None = None, *, chat_id: int | None = None,
                 status: int | None = None) -> list[RecordedRequest]:
        """Recorded calls, optionally of one method (case-insensitive), chat and answered status."""
        return [
            request for request in self.recorded
            if (method is None or request.method.lower() == method.lower())
            and (chat_id is None or request.chat_id == chat_id)
            and (status is None or request.status == status)
        ]

    def callback_answers(self, user_id: int | None = None) -> list[CallbackAnswer]:
        return [answer for answer in self.answers if user_id is None or answer.user_id == user_id]

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        """The answer to one callback query, None while it has none."""
        return self._answer_of_query.get(callback_query_id)

    def uploaded_files(self, chat_id: int | None = None) -> list[UploadedFile]:
        requests = [request for request in self.requests(chat_id=chat_id) if request.ok]
        return [upload for request in requests for upload in request.files.values()]

    def my_commands(self, scope: Params | None = None, language_code: str = "") -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(scope, language_code), [])

    def chat_activity(self, chat_id: int) -> list[BotActivity]:
        """The bot's sends, edits and deletes in one chat, in order."""
        return self._chat_activity.get(chat_id, [])

    def chat_activity_since(self, chat_id: int, seq: int) -> list[BotActivity]:
        """The bot's sends, edits and deletes in one chat after the one numbered `seq` (`BotActivity.seq`)."""
        activity = self._chat_activity.get(chat_id, [])
        return activity[bisect.bisect_right(activity, seq, key=lambda done: done.seq):]

    async def wait_until(self, check: Callable[[], T | None], timeout: float, *,
                         chat_id: int | None = None) -> T | None:
        """Wait until `check()` returns something other than None (then return it) or the time runs out.

        With `chat_id`, `check` runs again only when something happens in that chat (cheap with many
        waiting users); otherwise after every change.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout_at(deadline):
                while (result := check()) is None and not self._closing and loop.time() < deadline:
                    await (self._changed if chat_id is None else self._chat_changed[chat_id]).wait()
                return result
        return check()

    # ----------------------------------------------------------------------------- fault injection
    def fail_next(self, method: str, status: int = 429, retry_after: int | None = 1, times: int = 1,
                  description: str | None = None) -> None:
        """Answer the next `times` calls of `method` with an error (429 carries retry_after)."""
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if status == 429
                           else DEFAULT_DESCRIPTIONS.get(status, "Error"))
        self._faults.append(Fault(method=method.lower(), status=status, description=description,
                                  retry_after=retry_after if status == 429 else None, remaining=times))

    def refuse_token(self, token: str, status: int = 401) -> None:
        """Every call made with `token` is refused, as Telegram does: 401 Unauthorized for a token revoked
        or never issued, 404 Not Found for one not shaped like a token."""
        self._refused_tokens[token] = status

    def block_chat(self, chat_id: int) -> None:
        """The person blocked the bot: sends and edits to their chat answer 403."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def set_flood_limits(self, per_second: float | None = None,
                         per_chat_per_second: float | None = None) -> None:
        """Emulate Telegram's flood control: beyond these rates sends answer 429 with retry_after=1."""
        self._flood_per_second = per_second
        self._flood_per_chat_per_second = per_chat_per_second

    # ----------------------------------------------------------------------------- HTTP plumbing
    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if self.bot_id is None:
            self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        params, files = await self._read_params(request)
        record = RecordedRequest(method=method, params=params, files=files, time=time.monotonic(),
                                 content_type=request.content_type)
        self.recorded.append(record)
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            if token in self._refused_tokens:
                status = self._refused_tokens[token]
                raise BotApiError(status, DEFAULT_DESCRIPTIONS[status])
            self._check_injected_faults(method.lower(), params)
            handler = self._handlers.get(method.lower(), self._api_unknown)
            body: dict[str, Any] = {"ok": True, "result": await handler(params, files)}
            status = 200
        except BotApiError as error:
            status = error.status
            body = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
        record.status = status
        record.response = body
        return web.json_response(body, status=status)

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {key: _decode_field(key, value) for key, value in request.query.items()}
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(field=key, file_name=value.filename, data=value.file.read(),
                                              content_type=value.content_type)
                else:
                    params[key] = _decode_field(key, str(value))
        for name, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                upload = files.pop(value.removeprefix("attach://"), None)
                if upload is not None:
                    upload.field = name
                    files[name] = upload
        return params, files

    def _check_injected_faults(self, method: str, params: dict[str, Any]) -> None:
        for fault in self._faults:
            if fault.method == method and fault.remaining > 0:
                fault.remaining -= 1
                parameters = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
                raise BotApiError(fault.status, fault.description, parameters)
        chat_id = params.get("chat_id")
        if chat_id in self._blocked and method.startswith(BLOCKABLE_PREFIXES):
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        if method.startswith(FLOOD_LIMITED_PREFIXES):
            self._check_flood(chat_id if isinstance(chat_id, int) else None)

    def _check_flood(self, chat_id: int | None) -> None:
        now = time.monotonic()
        while self._recent_sends and now - self._recent_sends[0][0] > 1.0:
            self._recent_sends.popleft()
        too_many_overall = (self._flood_per_second is not None
                            and len(self._recent_sends) >= self._flood_per_second)
        too_many_in_chat = (self._flood_per_chat_per_second is not None
                            and sum(1 for _, chat in self._recent_sends if chat == chat_id)
                            >= self._flood_per_chat_per_second)
        if too_many_overall or too_many_in_chat:
            raise BotApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._recent_sends.append((now, chat_id))

    def _notify(self, chat_id: int | None = None) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
        if chat_id is not None and chat_id in self._chat_changed:
            self._chat_changed.pop(chat_id).set()

    # ----------------------------------------------------------------------------- helpers
    def _bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id or 1, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        person = self._people.get(chat_id, {})
        chat: dict[str, Any] = {"id": chat_id, "type": "private",
                                "first_name": person.get("first_name", "User")}
        if person.get("username"):
            chat["username"] = person["username"]
        return chat

    def _record_activity(self, message: ChatMessage, action: str) -> None:
        activity = BotActivity(seq=self.activity_seq() + 1, chat_id=message.chat_id,
                               message_id=message.message_id, action=action, text=message.text,
                               time=time.monotonic())
        self.activity.append(activity)
        self._chat_activity[message.chat_id].append(activity)
        self._notify(message.chat_id)

    @staticmethod
    def _commands_key(scope: dict[str, Any] | None, language_code: str | None) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    @staticmethod
    def _chat_id(params: dict[str, Any]) -> int:
        chat_id = _int_param(params, "chat_id")
        if chat_id is None:
            raise BotApiError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _rendered(self, params: dict[str, Any], field: str, limit: int, *, required: bool) -> str:
        raw = str(params.get(field) or "")
        if required and not raw.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        try:
            text = visible_text(raw, params.get("parse_mode"))
        except EntityParseError as error:
            raise BotApiError(400, f"Bad Request: can't parse entities: {error}") from error
        if len(text) > limit:
            what = "caption" if field == "caption" else "text"
            raise BotApiError(400, f"Bad Request: message {what} is too long")
        return text

    @staticmethod
    def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is not None and not isinstance(markup, dict):
            raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if oversized_callback_data(markup) is not None:
            raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_bot_message(self, chat_id: int, kind: str, text: str, markup: dict[str, Any] | None,
                         upload: UploadedFile | None = None, file_ref: str | None = None) -> dict[str, Any]:
        message = ChatMessage(message_id=self.take_message_id(chat_id), chat_id=chat_id, from_bot=True,
                              date=int(time.time()), kind=kind, text=text, reply_markup=markup, file=upload,
                              file_ref=file_ref)
        self._chats[chat_id][message.message_id] = message
        self._record_activity(message, "sent")
        return self.message_json(message)

    def _editable(self, params: dict[str, Any]) -> ChatMessage:
        chat_id = self._chat_id(params)
        message = self.message(chat_id, _int_param(params, "message_id") or 0)
        if message is None or message.deleted:
            raise BotApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:
            raise BotApiError(400, "Bad Request: message can't be edited")
        return message

    def _apply_edit(self, message: ChatMessage, text: str, markup: dict[str, Any] | None) -> dict[str, Any]:
        if text == message.text and markup == message.reply_markup:
            raise BotApiError(400, NOT_MODIFIED)
        message.text = text
        message.reply_markup = markup
        message.edit_count += 1
        self._record_activity(message, "edited")
        return self.message_json(message)

    # ----------------------------------------------------------------------------- Bot API methods
    async def _api_unknown(self, params: Params, files: Files) -> Any:
        return True

    async def _api_getMe(self, params: Params, files: Files) -> Any:
        return {**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _api_getChat(self, params: Params, files: Files) -> Any:
        return {**self._chat_json(self._chat_id(params)), "accent_color_id": 0, "max_reaction_count": 11}

    async def _api_getUpdates(self, params: Params, files: Files) -> Any:
        if self.webhook.get("url"):
            raise BotApiError(409, WEBHOOK_ACTIVE)
        offset = _int_param(params, "offset")
        if offset is not None and offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        limit = _int_param(params, "limit", 100) or 100
        timeout = _int_param(params, "timeout", 0) or 0
        await self.wait_until(lambda: True if self._updates else None, timeout)
        return list(itertools.islice(self._updates, limit))

    async def _api_setWebhook(self, params: Params, files: Files) -> Any:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {key: value for key, value in params.items() if key != "drop_pending_updates"}
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_to_webhook())
        return True

    async def _api_deleteWebhook(self, params: Params, files: Files) -> Any:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {}
        self._notify()
        return True

    async def _api_getWebhookInfo(self, params: Params, files: Files) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_setMyCommands(self, params: Params, files: Files) -> Any:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = list(params.get("commands") or [])
        return True

    async def _api_deleteMyCommands(self, params: Params, files: Files) -> Any:
        self.commands.pop(self._commands_key(params.get("scope"), params.get("language_code")), None)
        return True

    async def _api_getMyCommands(self, params: Params, files: Files) -> Any:
        return self.my_commands(params.get("scope"), params.get("language_code") or "")

    async def _api_sendMessage(self, params: Params, files: Files) -> Any:
        chat_id = self._chat_id(params)
        text = self._rendered(params, "text", MAX_TEXT_LENGTH, required=True)
        return self._new_bot_message(chat_id, "text", text, self._markup(params))

    async def _api_sendPhoto(self, params: Params, files: Files) -> Any:
        return self._send_media("photo", params, files)

    async def _api_sendDocument(self, params: Params, files: Files) -> Any:
        return self._send_media("document", params, files)

    def _send_media(self, kind: str, params: Params, files: Files) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        upload = files.get(kind)
        if upload is None and not params.get(kind):
            raise BotApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = self._rendered(params, "caption", MAX_CAPTION_LENGTH, required=False)
        file_ref = f"{kind}-{len(self.recorded)}" if upload is not None else str(params[kind])
        return self._new_bot_message(chat_id, kind, caption, self._markup(params), upload, file_ref)

    async def _api_editMessageText(self, params: Params, files: Files) -> Any:
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        text = self._rendered(params, "text", MAX_TEXT_LENGTH, required=True)
        if message.kind != "text":
            raise BotApiError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(message, text, self._markup(params))

    async def _api_editMessageCaption(self, params: Params, files: Files) -> Any:
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if message.kind == "text":
            raise BotApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._rendered(params, "caption", MAX_CAPTION_LENGTH, required=False)
        return self._apply_edit(message, caption, self._markup(params))

    async def _api_editMessageMedia(self, params: Params, files: Files) -> Any:
        """Replace a photo or document (a new upload named by "attach://<field>", or a file id) and its
        caption; a text message has no media to replace."""
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") not in ("photo", "document"):
            raise BotApiError(400, "Bad Request: can't parse InputMedia: media type is not supported")
        if message.kind == "text":
            raise BotApiError(400, "Bad Request: there is no media in the message to edit")
        reference = str(media.get("media") or "")
        upload = files.get(reference.removeprefix("attach://")) if reference.startswith("attach://") else None
        if upload is None and (not reference or reference.startswith("attach://")):
            raise BotApiError(400, "Bad Request: there is no media in the request")
        message.kind = str(media["type"])
        message.file = upload
        message.file_ref = f"{message.kind}-{len(self.recorded)}" if upload is not None else reference
        message.text = self._rendered(media, "caption", MAX_CAPTION_LENGTH, required=False)
        message.reply_markup = self._markup(params)
        message.edit_count += 1
        self._record_activity(message, "edited")
        return self.message_json(message)

    async def _api_editMessageReplyMarkup(self, params: Params, files: Files) -> Any:
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        return self._apply_edit(message, message.text, self._markup(params))

    async def _api_deleteMessage(self, params: Params, files: Files) -> Any:
        message = self.message(self._chat_id(params), _int_param(params, "message_id") or 0)
        if message is None or message.deleted:
            raise BotApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        self._record_activity(message, "deleted")
        return True

    async def _api_answerCallbackQuery(self, params: Params, files: Files) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        user_id = self._pending_callbacks.pop(query_id, None)
        if user_id is None:
            raise BotApiError(400, CALLBACK_TOO_OLD)
        answer = CallbackAnswer(callback_query_id=query_id, user_id=user_id, text=params.get("text"),
                                show_alert=bool(params.get("show_alert")), url=params.get("url"))
        self.answers.append(answer)
        self._answer_of_query[query_id] = answer
        self._notify(user_id)
        return True

    async def _api_sendChatAction(self, params: Params, files: Files) -> Any:
        self._chat_id(params)
        return True

    # ----------------------------------------------------------------------------- webhook delivery
    async def _deliver_to_webhook(self) -> None:
        """POST queued updates to the webhook URL one by one, as Telegram does, until it is deleted."""
        async with aiohttp.ClientSession() as session:
            while self.webhook.get("url") and not self._closing:
                if not self._updates:
                    await self.wait_until(lambda: True if self._updates or not self.webhook else None, 5)
                    continue
                update = self._updates[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
                try:
                    async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                        delivered = response.status < 300
                except aiohttp.ClientError:
                    delivered = False
                if delivered and self._updates and self._updates[0] is update:
                    self._updates.popleft()
                elif not delivered:
                    await asyncio.sleep(0.2)
