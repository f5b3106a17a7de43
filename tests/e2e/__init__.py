"""End-to-end tests: real bot processes talking to the fake Telegram Bot API in tests/fakebot."""
