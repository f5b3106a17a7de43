"""A revoked or mistyped BOT_TOKEN: the bot, in each way it can run, stops at once with one line that
tells the operator what to do (exit code 2, as for a missing token), not a traceback or endless retries."""

from __future__ import annotations

import pytest
from fakebot import TEST_BOT_TOKEN, BotProcess, free_port

WAYS_TO_RUN = {
    "long polling": ("run",),
    "webhook": ("run", "--webhook", "https://bot.example/telegram/hook"),
}


REFUSALS = {"revoked": (401, "Unauthorized"), "malformed": (404, "Not Found")}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
@pytest.mark.parametrize("args", WAYS_TO_RUN.values(), ids=WAYS_TO_RUN.keys())
async def test_a_refused_token_stops_the_bot_with_one_line_for_the_operator(telegram, bot_env, tmp_path,
                                                                             framework, args, refusal):
    status, description = refusal
    telegram.refuse_token(TEST_BOT_TOKEN, status)
    env = {**bot_env, "WEBHOOK_LISTEN": f"127.0.0.1:{free_port()}"}
    process = BotProcess(env, args, log_path=tmp_path / "bot.log", cwd=tmp_path, server=telegram).start()
    try:
        await process.wait_exit(60)
        code = process.returncode
    finally:
        await process.stop()

    log = process.log_text()
    assert code == 2, log
    # each framework words the refusal its own way (aiogram: Telegram's description; PTB: its own)
    reason = description if framework == "aiogram" else "The token `<token>` was rejected by the server."
    assert f"Telegram refused BOT_TOKEN ({reason}): check the token with @BotFather" in log
    assert "Traceback" not in log
    assert "Pool disposed" not in log  # SQLAlchemy's pool chatter stays out of the operator's log
    assert TEST_BOT_TOKEN not in log
    assert not telegram.requests("getUpdates")  # refused: not polled (the fake records every call)
