"""Many customers answering a survey at the same time through the fake Telegram, every update timed.

A `SurveyCustomer` acts as a person would: opens the invite deep link, taps its language on the
welcome screen when the bot shows another one, taps Start, taps a rating for each question it is
shown, and taps Submit on the review. It looks at the message the bot sent or edited in reply to
its latest update, tells the screen by the dialogue position its buttons carry (bot.services.buttons,
"welcome", "q:<i>", "review", "done") and taps one of them by its action ("r:4", "start", ...).
With `think` it waits 0.5-1.5 x `think` seconds before each update, like a person reading.

    customers = make_customers(telegram, survey.code, 30)
    done = await asyncio.gather(*(customer.complete() for customer in customers))

What a customer records:
- `user.timings`: one `UpdateTiming` per update it sent: when it was queued for the bot and when the
  bot's next message or edit in that chat arrived (`replied_at` None: no reply within `reply_timeout`).
- `acknowledged`: {question number (1-based): rating} of the answers the customer saw acknowledged,
  i.e. the bot showed a later question or the review right after the tap.
- `submitted`: the customer saw the thank-you screen.
- `apologies`: how often the bot answered with an alert or a message without buttons (its apology
  for an error) instead of a screen; the customer then tried the same again (up to ATTEMPTS times).

When the bot stays silent (stopped, killed), `answer_all()` returns False and the customer can be
sent back later with `open_invite()` (/start with the link again) or `retap()` (its last tap again,
as from a phone whose screen was never refreshed), then `answer_all()` once more.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.services import buttons
from conversations.respondent_screens import CHECK

from .harness import FakeUser
from .records import BotActivity, CallbackAnswer, ChatMessage
from .server import FakeTelegramServer

WELCOME = "welcome"
REVIEW = "review"
DONE = "done"
MAX_STEPS = 200  # far more taps than a survey needs: a customer going round in circles fails loudly
ATTEMPTS = 3  # after the bot's apology ("please try again in a moment") a customer tries again

# (Telegram language_code, the language the customer wants): the third kind gets the bot's default
# language (zh) and switches to English on the welcome screen.
CUSTOMER_LANGUAGES = (("zh-hans", "zh"), ("en", "en"), (None, "en"))


@dataclass(frozen=True)
class UpdateTiming:
    """One update a customer sent and when the bot's reply (a send or an edit in the chat, or an
    alert answering the button press) arrived."""

    kind: str  # "message" or "callback_query"
    sent_at: float  # time.monotonic(), the clock of the fake server's records
    replied_at: float | None
    alert: str | None = None  # the reply was this alert (the bot's apology), not a screen

    @property
    def latency(self) -> float | None:
        return None if self.replied_at is None else self.replied_at - self.sent_at


Reply = BotActivity | CallbackAnswer


class TimedUser(FakeUser):
    """A FakeUser whose every update is timed until the bot's next send or edit in the chat (or, for
    a button press, an alert answering it)."""

    def __init__(self, server: FakeTelegramServer, user_id: int, first_name: str,
                 language_code: str | None, *, reply_timeout: float = 10) -> None:
        super().__init__(server, user_id, first_name, language_code)
        self.reply_timeout = reply_timeout
        self.timings: list[UpdateTiming] = []

    async def say(self, text: str) -> BotActivity | None:
        """Send a text message; the bot's reply to it, None when none came in time."""
        reply = await self._timed("message", lambda: self.send(text))
        assert not isinstance(reply, CallbackAnswer)
        return reply

    async def tap(self, message_id: int, data: str) -> Reply | None:
        """Press a button by its callback data; the bot's reply, None when none came in time."""
        return await self._timed("callback_query", lambda: self.press_data(message_id, data), message_id)

    async def _timed(self, kind: str, act: Callable[[], Awaitable[int | str]],
                     tapped: int | None = None) -> Reply | None:
        """The bot's reply: a message it sent, or the `tapped` message edited (an earlier screen the bot
        retires at the same time, edited to point at the new one, is no reply)."""
        after = self.server.activity_seq()
        sent_at = time.monotonic()
        query_id = await act()

        def reply() -> Reply | None:
            activity = next((activity for activity in self.server.chat_activity_since(self.chat_id, after)
                             if activity.action == "sent"
                             or (activity.action == "edited" and activity.message_id == tapped)), None)
            if activity is not None or kind != "callback_query":
                return activity
            answer = self.server.callback_answer(str(query_id))
            return answer if answer is not None and answer.show_alert else None

        answer = await self.server.wait_until(reply, self.reply_timeout, chat_id=self.chat_id)
        if isinstance(answer, CallbackAnswer):
            self.timings.append(UpdateTiming(kind, sent_at, time.monotonic(), alert=answer.text or ""))
        else:
            self.timings.append(UpdateTiming(kind, sent_at, answer.time if answer is not None else None))
        return answer


@dataclass(frozen=True)
class ShownScreen:
    """A respondent screen as its buttons describe it: the dialogue position and action -> data."""

    message: ChatMessage
    position: str
    actions: dict[str, str]

    @property
    def question(self) -> int | None:
        """The 1-based number of the question shown, None for any other screen."""
        kind, _, index = self.position.partition(":")
        return int(index) + 1 if kind == "q" and index.isdigit() else None

    def checked(self, action: str) -> bool:
        """Whether the button of `action` carries the ✓ of the current choice."""
        data = self.actions.get(action)
        return any(button.get("callback_data") == data and button["text"].startswith(CHECK)
                   for button in self.message.buttons)


class SurveyCustomer:
    """One customer answering one survey; see the module docstring."""

    def __init__(self, server: FakeTelegramServer, user_id: int, invite_code: str, *, language: str = "zh",
                 language_code: str | None = "zh-hans", reply_timeout: float = 10, think: float = 0) -> None:
        self.user = TimedUser(server, user_id, f"Customer{user_id}", language_code,
                              reply_timeout=reply_timeout)
        self.invite_code = invite_code
        self.language = language
        self.think = think
        self.acknowledged: dict[int, int] = {}
        self.submitted = False
        self.apologies = 0
        self._shown_message_id: int | None = None
        self._last_tap: tuple[int, str] | None = None
        self._random = random.Random(user_id)

    def rating_for(self, question: int) -> int:
        """The rating this customer gives question `question` (1-based): the same on every try."""
        return 1 + (self.user.user_id + question) % 5

    @property
    def last_action(self) -> str | None:
        """The action of the button this customer tapped last ("r:4", "start", ...)."""
        return _unpack(self._last_tap[1])[1] if self._last_tap else None

    @property
    def screen(self) -> ShownScreen | None:
        """The screen the customer looks at: the bot's latest reply to it, if it had buttons."""
        if self._shown_message_id is None:
            return None
        message = self.user.server.message(self.user.chat_id, self._shown_message_id)
        if message is None or message.deleted:
            return None
        actions: dict[str, str] = {}
        position = ""
        for button in message.buttons:
            data = button.get("callback_data", "")
            if not data.startswith(buttons.RESPONDENT + buttons.SEPARATOR):
                continue
            unpacked = _unpack(data)
            position = unpacked[0]
            actions[unpacked[1]] = data
        return ShownScreen(message, position, actions) if actions else None

    async def open_invite(self) -> ShownScreen | None:
        """Open the deep link (/start CODE); the screen the bot shows, None without a reply or buttons."""
        for _ in range(ATTEMPTS):
            await self._pause()
            reply = await self.user.say(f"/start {self.invite_code}")
            if reply is None:
                return None
            shown = self._look_at(reply)
            if shown is not None:
                return shown
            self.apologies += 1
        return None

    async def retap(self) -> ShownScreen | None:
        """Tap the last tapped button once more (a stale tap); open the link when nothing was tapped."""
        if self._last_tap is None:
            return await self.open_invite()
        return await self._tap_data(*self._last_tap)

    async def answer_all(self) -> bool:
        """Act on the shown screens until submitted (True); False when the bot stays silent."""
        language_chosen = False
        for _ in range(MAX_STEPS):
            screen = self.screen
            if screen is None:
                return False
            if screen.position == DONE:
                self.submitted = True
                return True
            if screen.position == WELCOME:
                wanted = f"lang:{self.language}"
                action = wanted if not language_chosen and not screen.checked(wanted) else "start"
                language_chosen = True
                after = await self._tap(screen, action)
            elif screen.question is not None:
                rating = self.rating_for(screen.question)
                after = await self._tap(screen, f"r:{rating}")
                if after is not None and _moved_past(after, screen.question):
                    self.acknowledged[screen.question] = rating
            elif screen.position == REVIEW:
                after = await self._tap(screen, "submit")
            else:
                raise AssertionError(f"customer {self.user.user_id}: unexpected screen {screen.position!r}: "
                                     f"{screen.message.text!r}")
            if after is None:
                return False
        raise AssertionError(f"customer {self.user.user_id}: no end after {MAX_STEPS} taps")

    async def complete(self) -> bool:
        """Open the link and answer everything; True once the thank-you screen was shown."""
        return await self.open_invite() is not None and await self.answer_all()

    async def _tap(self, screen: ShownScreen, action: str) -> ShownScreen | None:
        data = screen.actions.get(action)
        if data is None:
            raise AssertionError(f"customer {self.user.user_id}: no {action!r} button on "
                                 f"{screen.position!r}: {screen.message.button_rows}")
        return await self._tap_data(screen.message.message_id, data)

    async def _tap_data(self, message_id: int, data: str) -> ShownScreen | None:
        """Tap, and tap again after an apology; the screen shown then, None when the bot stays silent."""
        self._last_tap = (message_id, data)
        for _ in range(ATTEMPTS):
            await self._pause()
            reply = await self.user.tap(message_id, data)
            if not isinstance(reply, CallbackAnswer):
                return self._look_at(reply)
            self.apologies += 1
        return None

    def _look_at(self, reply: BotActivity | None) -> ShownScreen | None:
        if reply is None:
            return None
        self._shown_message_id = reply.message_id
        return self.screen

    async def _pause(self) -> None:
        """A person's reading and thinking time: uniform around `think` seconds (none when 0)."""
        if self.think > 0:
            await asyncio.sleep(self._random.uniform(0.5, 1.5) * self.think)


@lru_cache(maxsize=4096)
def _unpack(data: str) -> tuple[str, str]:
    """(position, action) of a customer's button."""
    _survey, position, action = buttons.unpack(data)[1]
    return position, action


def _moved_past(screen: ShownScreen, question: int) -> bool:
    return screen.position == REVIEW or (screen.question is not None and screen.question > question)


def make_customers(server: FakeTelegramServer, invite_code: str, count: int, *, first_user_id: int = 800_001,
                   reply_timeout: float = 10, think: float = 0) -> list[SurveyCustomer]:
    """`count` customers with consecutive user ids, their languages mixed as in CUSTOMER_LANGUAGES."""
    customers = []
    for number in range(count):
        language_code, language = CUSTOMER_LANGUAGES[number % len(CUSTOMER_LANGUAGES)]
        customers.append(SurveyCustomer(server, first_user_id + number, invite_code, language=language,
                                        language_code=language_code, reply_timeout=reply_timeout,
                                        think=think))
    return customers
