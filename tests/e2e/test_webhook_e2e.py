"""Webhook mode: the real bot process registers its webhook and refuses requests without the secret."""

from __future__ import annotations

import asyncio
import re

import aiohttp
from fakebot import BotProcess, free_port


async def _wait_healthy(url: str, timeout: float = 15) -> int:
    async with aiohttp.ClientSession() as http:
        for _ in range(int(timeout * 10)):
            try:
                async with http.get(url) as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def test_webhook_needs_the_secret_and_healthz_answers(telegram, bot_env, tmp_path):
    port = free_port()
    env = {**bot_env, "WEBHOOK_SECRET": "s3cret-token_value", "WEBHOOK_LISTEN": f"127.0.0.1:{port}"}
    public = f"http://127.0.0.1:{port}/telegram/hook"
    process = BotProcess(env, ("run", "--webhook", public), log_path=tmp_path / "bot.log", cwd=tmp_path,
                         server=telegram)
    process.start()
    try:
        assert await _wait_healthy(f"http://127.0.0.1:{port}/healthz") == 200
        await telegram.wait_until(lambda: telegram.webhook is not None, timeout=10)
        assert telegram.webhook["url"] == public
        chat = {"id": 5, "type": "private"}
        sender = {"id": 5, "is_bot": False, "first_name": "M"}
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": chat, "from": sender,
                                              "text": "hi"}}
        async with aiohttp.ClientSession() as http:
            async with http.post(public, json=update) as response:
                assert response.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(public, json=update, headers=headers) as response:
                assert response.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_value"}
            async with http.post(public, json=update, headers=headers) as response:
                assert response.status == 200
        await telegram.wait_until(lambda: telegram.requests("sendMessage") or None, timeout=10)
        assert len(telegram.requests("sendMessage")) == 1  # only the update with the right secret
        assert "s3cret-token_value" not in process.log_text()
        await telegram.wait_until(lambda: "update=1 " in process.log_text() or None, timeout=10)
        about_the_update = [line for line in process.log_text().splitlines()
                            if "update=1 " in line or "Update id=1 " in line]
        assert len(about_the_update) == 1  # one line per update, not aiogram's as well
        assert re.search(r"update=1 kind=message user=5 outcome=\w+ latency_ms=[0-9.]+$", about_the_update[0])
    finally:
        await process.stop()
