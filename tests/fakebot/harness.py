"""Acting as people in front of the fake Telegram, and running the real bot as a separate process."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import BotActivity, ChatMessage
from .server import FakeTelegramServer

TEST_BOT_TOKEN = "123456:TEST-e2e-fake-token"

# Settings the bot reads from the environment; a developer's own values must not leak into a test run.
BOT_SETTING_NAMES = frozenset({
    "BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "DEFAULT_LANGUAGE", "TIMEZONE",
    "BOT_USERNAME", "SPECS_DIR", "SEND_RATE_PER_SECOND",
})


@dataclass(frozen=True)
class Screen:
    """What a person sees in one bot message: its text and the labels of its inline buttons."""

    text: str
    buttons: list[list[str]]
    message_id: int | None = None

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    def __str__(self) -> str:
        rows = "\n".join(" | ".join(f"[{label}]" for label in row) for row in self.buttons)
        return f"{self.text}\n{rows}" if rows else self.text


class FakeUser:
    """One Telegram user in a private chat with the bot: sends messages, presses buttons, reads replies."""

    def __init__(self, server: FakeTelegramServer, user_id: int, first_name: str = "Test",
                 language_code: str | None = "zh-hans", *, last_name: str | None = None,
                 username: str | None = None) -> None:
        self.server = server
        self.user_id = user_id
        self.chat_id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        self.user.update({key: value for key, value in optional.items() if value is not None})
        self._seen_seq = server.activity_seq()
        self._last_query_id: str | None = None
        server.register_person(self.user)

    # ----------------------------------------------------------------------------- acting
    async def send(self, text: str) -> int:
        """Type and send a message; a leading "/command" gets a bot_command entity. Returns its message_id."""
        self._mark_action()
        message = self.server.store_user_message(self.chat_id, text)
        payload = self.server.message_json(message)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self.server.push_update({"message": payload})
        return message.message_id

    async def press(self, label: str) -> str:
        """Press a button of the latest bot message that has an inline keyboard, by its label or part of it.

        An exact label wins over a substring match. Returns the callback query id.
        """
        message = self.server.latest_bot_message(self.chat_id, with_keyboard=True)
        if message is None:
            raise AssertionError(f"user {self.user_id}: no bot message with buttons to press {label!r}; "
                                 f"the chat shows: {self.texts()}")
        button = self._find_button(message, label)
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} has no callback_data: {button}")
        return await self.press_data(message.message_id, button["callback_data"])

    async def press_data(self, message_id: int, data: str) -> str:
        """Send a callback query with any data for any message id (stale or forged presses)."""
        self._mark_action()
        message = self.server.message(self.chat_id, message_id)
        # Telegram describes a message it no longer has as inaccessible: date 0.
        inaccessible = {"message_id": message_id, "date": 0, "chat": {"id": self.chat_id, "type": "private"}}
        message_json = self.server.message_json(message) if message is not None else inaccessible
        query_id = self.server.new_callback_query_id(self.user_id)
        self._last_query_id = query_id
        self.server.push_update({"callback_query": {
            "id": query_id, "from": self.user, "message": message_json,
            "chat_instance": f"ci{self.chat_id}", "data": data,
        }})
        return query_id

    # ----------------------------------------------------------------------------- waiting
    async def wait_reply(self, timeout: float = 10, predicate: Callable[[str], bool] | None = None) -> str:
        """Wait for the bot's next message or edit in this chat since the last action or reply read.

        Returns the text the message showed right after that send or edit. With a predicate, sends and
        edits whose text does not satisfy it are passed over.
        """
        def next_reply() -> BotActivity | None:
            for activity in self.server.chat_activity_since(self.chat_id, self._seen_seq):
                if activity.action != "deleted" and (predicate is None or predicate(activity.text)):
                    return activity
            return None

        activity = await self.server.wait_until(next_reply, timeout, chat_id=self.chat_id)
        if activity is None:
            raise AssertionError(f"user {self.user_id}: no reply from the bot within {timeout} s; "
                                 f"the chat shows: {self.texts()}")
        self._seen_seq = activity.seq
        return activity.text

    async def wait_quiet(self, quiet: float = 0.3, timeout: float = 10) -> Screen:
        """Wait until the bot has left this chat alone for `quiet` seconds; return the screen then."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            last_seq = self._last_chat_seq()
            await asyncio.sleep(quiet)
            if self._last_chat_seq() == last_seq:
                break
        self._seen_seq = self.server.activity_seq()
        return self.screen()

    async def wait_callback_answer(self, timeout: float = 10) -> str | None:
        """Wait until the bot answered this user's latest button press; return the toast text (or None)."""
        if self._last_query_id is None:
            raise AssertionError(f"user {self.user_id} has not pressed any button")
        query_id = self._last_query_id
        found = await self.server.wait_until(lambda: self.server.callback_answer(query_id), timeout,
                                             chat_id=self.chat_id)
        if found is None:
            raise AssertionError(f"user {self.user_id}: no answer to the button press in {timeout} s")
        return found.text

    # ----------------------------------------------------------------------------- reading
    def screen(self) -> Screen:
        """The latest bot message of this chat, as it looks now."""
        message = self.server.latest_bot_message(self.chat_id)
        if message is None:
            return Screen(text="", buttons=[])
        return Screen(text=message.text, buttons=message.button_rows, message_id=message.message_id)

    def texts(self) -> list[str]:
        """The current texts (captions for files) of all bot messages in this chat, oldest first."""
        return [message.text for message in self.server.bot_messages(self.chat_id)]

    def messages(self) -> list[ChatMessage]:
        return self.server.bot_messages(self.chat_id)

    def callback_answers(self) -> list[str | None]:
        """The texts of answerCallbackQuery calls for this user's presses (None: answered silently)."""
        return [answer.text for answer in self.server.callback_answers(self.user_id)]

    # ----------------------------------------------------------------------------- internals
    def _mark_action(self) -> None:
        self._seen_seq = self.server.activity_seq()

    def _last_chat_seq(self) -> int:
        activity = self.server.chat_activity(self.chat_id)
        return activity[-1].seq if activity else 0

    def _find_button(self, message: ChatMessage, label: str) -> dict[str, Any]:
        buttons = message.buttons
        exact = [button for button in buttons if button["text"] == label]
        partial = [button for button in buttons if label.casefold() in button["text"].casefold()]
        found = exact or partial
        if len(found) == 1:
            return found[0]
        problem = "no button" if not found else f"{len(found)} buttons"
        raise AssertionError(f"{problem} matching {label!r} on message {message.message_id} "
                             f"{message.text!r}; its buttons are {[button['text'] for button in buttons]}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a bot's webhook server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def surveybot_command() -> list[str]:
    """How to start the `surveybot` CLI of this virtual environment."""
    beside_python = Path(sys.executable).with_name("surveybot")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("surveybot")
    if found:
        return [found]
    return [sys.executable, "-c", "from bot.cli import app; app()"]


class BotProcess:
    """The real bot, run as a subprocess with its output captured to a log file."""

    def __init__(self, env: dict[str, str], args: Sequence[str] = ("run",), *,
                 command: Sequence[str] | None = None, log_path: Path | None = None,
                 cwd: Path | None = None, server: FakeTelegramServer | None = None) -> None:
        self.env = env
        self.args = tuple(args)
        self.command = list(command) if command is not None else surveybot_command()
        self.log_path = log_path or Path(tempfile.mkdtemp(prefix="surveybot-e2e-")) / "bot.log"
        self.cwd = cwd or self.log_path.parent
        self.server = server
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> BotProcess:
        """Start the process (appending to the log, so restarts keep the history)."""
        inherited = {key: value for key, value in os.environ.items() if key.upper() not in BOT_SETTING_NAMES}
        environment = {**inherited, "PYTHONUNBUFFERED": "1", **self.env}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start {' '.join([*self.command, *self.args])}\n".encode())
            log.flush()
            self.started_at = time.monotonic()
            self.process = subprocess.Popen([*self.command, *self.args], env=environment, cwd=self.cwd,
                                            stdout=log, stderr=subprocess.STDOUT)
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll() if self.process is not None else None

    async def wait_ready(self, timeout: float = 15) -> None:
        """Wait until the bot polls the fake server for updates (or has set a webhook)."""
        if self.server is None:
            raise RuntimeError("wait_ready needs the FakeTelegramServer the bot talks to")
        server = self.server

        def ready() -> bool | None:
            if not self.running:
                return True
            polled = any(request.time >= self.started_at
                         for request in server.requests("getUpdates") + server.requests("setWebhook"))
            return True if polled else None

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await server.wait_until(ready, min(0.5, deadline - time.monotonic())):
                break
        if not self.running:
            raise AssertionError(f"the bot exited with code {self.returncode} before it was ready:\n"
                                 f"{self.log_tail()}")
        if not ready():
            raise AssertionError(f"the bot did not poll for updates within {timeout} s:\n{self.log_tail()}")

    async def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, then wait for a graceful exit (SIGKILL after `timeout`). Returns the exit code."""
        if self.running:
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            if not await self.wait_exit(timeout):
                self.process.kill()
                await self.wait_exit(5)
        return self.returncode

    async def kill(self) -> int | None:
        """SIGKILL: the bot dies without any chance to clean up."""
        if self.running:
            assert self.process is not None
            self.process.kill()
            await self.wait_exit(5)
        return self.returncode

    async def restart(self, *, graceful: bool = True, ready_timeout: float = 15) -> BotProcess:
        await (self.stop() if graceful else self.kill())
        self.start()
        if self.server is not None:
            await self.wait_ready(ready_timeout)
        return self

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_exit(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the bot to exit; True if it has. Polls without blocking the
        event loop: the bot may still talk to the in-loop fake server."""
        deadline = time.monotonic() + timeout
        while self.running and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return not self.running


BotFactory = Callable[..., Awaitable[BotProcess]]
"""The `bot_process` fixture: `await bot_process(args=("run",), command=None, **extra_env)`."""
