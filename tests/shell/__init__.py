"""Tests of the Telegram shells against the fake Telegram Bot API in tests/fakebot."""
