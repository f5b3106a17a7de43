"""Per-chat flood control, worked by hand: a burst of 5, then one message a second."""

from __future__ import annotations

import logging

from bot.services.flood import ChatFloodGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def admit_at(guard: ChatFloodGuard, clock: Clock, chat_id: int, moment: float) -> bool:
    clock.now = moment
    return guard.admit(chat_id)


def test_a_burst_of_five_then_one_a_second() -> None:
    clock = Clock()
    guard = ChatFloodGuard(burst=5, per_second=1.0, clock=clock)
    admitted = [guard.admit(7) for _ in range(8)]
    assert admitted == [True] * 5 + [False] * 3
    assert admit_at(guard, clock, 7, 0.5) is False  # half a token
    assert admit_at(guard, clock, 7, 1.0) is True  # one token a second
    assert admit_at(guard, clock, 7, 1.1) is False


def test_500_messages_in_10_seconds_get_at_most_15_answers() -> None:
    clock = Clock()
    guard = ChatFloodGuard(clock=clock)
    answered = sum(admit_at(guard, clock, 1, index * 0.02) for index in range(500))
    assert 5 <= answered <= 15


def test_one_chats_flood_does_not_touch_another_chat() -> None:
    clock = Clock()
    guard = ChatFloodGuard(clock=clock)
    for index in range(100):
        admit_at(guard, clock, 1, index * 0.001)
    assert all(admit_at(guard, clock, 2, 0.1 + index) for index in range(20))


def test_dropped_messages_are_logged_as_counts_once_a_minute(caplog) -> None:
    clock = Clock()
    guard = ChatFloodGuard(clock=clock)
    with caplog.at_level(logging.WARNING, logger="bot.services.flood"):
        for index in range(300):
            admit_at(guard, clock, 9, index * 0.25)  # 75 s at 4 messages a second
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1
    assert "dropped" in lines[0] and "from 1 chats" in lines[0]
