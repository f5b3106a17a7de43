"""The leads' digest and notices respect the survey's quiet hours (outside the reminder policy's send
window): a digest or notice that falls in them waits for the next window start. Times are local."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from conversations.reminder_policy import ReminderPolicy, digest_due, in_send_window, next_window_moment

SHANGHAI, BERLIN = "Asia/Shanghai", "Europe/Berlin"
STANDARD = ReminderPolicy()  # 09:00-20:00
EARLY_CLOSE = ReminderPolicy(window_start_hour=9, window_end_hour=17)


def local(zone: str, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def test_a_notice_at_2_12_local_waits_for_9_00() -> None:
    night = local(SHANGHAI, 5, 5, 2, 12)
    assert not in_send_window(STANDARD, SHANGHAI, night)
    assert next_window_moment(STANDARD, SHANGHAI, night) == datetime(2026, 5, 5, 1, 0, tzinfo=UTC)  # 09:00 +08
    evening = local(SHANGHAI, 5, 5, 20, 0)  # the window ends at 20:00 (exclusive): the next morning
    assert next_window_moment(STANDARD, SHANGHAI, evening) == datetime(2026, 5, 6, 1, 0, tzinfo=UTC)


def test_the_next_window_start_across_the_berlin_clock_changes() -> None:
    # 2026-03-29 02:12 is skipped in Berlin; 01:30 CET waits for 09:00 CEST = 07:00 UTC
    assert next_window_moment(STANDARD, BERLIN, datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) \
        == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    # 2026-10-25 02:12 happens twice; either way it waits for 09:00 CET = 08:00 UTC
    for utc_hour in (0, 1):
        assert next_window_moment(STANDARD, BERLIN, datetime(2026, 10, 25, utc_hour, 12, tzinfo=UTC)) \
            == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_the_standard_digest_is_not_sent_late_at_night() -> None:
    assert digest_due(local(SHANGHAI, 5, 5, 19, 59), SHANGHAI, None)
    # a process that was down from 18:00 on does not send it at 20:00 or 02:12
    assert not digest_due(local(SHANGHAI, 5, 5, 20, 0), SHANGHAI, None)
    assert not digest_due(local(SHANGHAI, 5, 6, 2, 12), SHANGHAI, None)


def test_a_digest_hour_in_quiet_hours_moves_to_the_next_morning() -> None:
    tz = SHANGHAI
    assert not digest_due(local(tz, 5, 5, 18, 0), tz, None, window=EARLY_CLOSE)
    assert not digest_due(local(tz, 5, 6, 2, 12), tz, None, window=EARLY_CLOSE)
    assert not digest_due(local(tz, 5, 6, 8, 59), tz, None, window=EARLY_CLOSE)
    assert digest_due(local(tz, 5, 6, 9, 0), tz, None, window=EARLY_CLOSE)
    sent = local(tz, 5, 6, 9, 1)
    assert not digest_due(local(tz, 5, 6, 16, 59), tz, sent, window=EARLY_CLOSE)  # once that day
    assert digest_due(local(tz, 5, 7, 9, 0), tz, sent, window=EARLY_CLOSE)


def test_a_digest_hour_before_the_window_waits_for_its_start() -> None:
    assert not digest_due(local(BERLIN, 7, 1, 7, 0), BERLIN, None, hour=7)  # STANDARD opens at 09:00
    assert digest_due(local(BERLIN, 7, 1, 9, 0), BERLIN, None, hour=7)
    assert not digest_due(local(BERLIN, 7, 1, 12, 0), BERLIN, local(BERLIN, 7, 1, 9, 0), hour=7)
