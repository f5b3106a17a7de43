"""`surveybot run --web`: one process serves Telegram and the survey page for customers without
Telegram, on the same database; SIGTERM stops both."""

from __future__ import annotations

import aiohttp
from fakebot import FakeUser, free_port

from e2e.surveys import create_survey


async def test_one_process_serves_the_bot_and_the_page_and_both_count_in_one_survey(bot_process, telegram,
                                                                                     bot_database_url):
    survey = await create_survey(bot_database_url, organization="Two Channel Org")
    port = free_port()
    bot = await bot_process(args=("run", "--web"), WEB_LISTEN=f"127.0.0.1:{port}",
                            WEB_BASE_URL=f"http://127.0.0.1:{port}")

    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/s/{survey.code}",
                        headers={"Accept-Language": "en"}) as page:
        assert page.status == 200
        assert "Two Channel Org" in await page.text()

    customer = FakeUser(telegram, 7001, "Tele", "en")
    await customer.send(f"/start {survey.code}")
    assert "Two Channel Org" in await customer.wait_reply()

    assert await bot.stop() == 0
