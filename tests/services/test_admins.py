"""An operator with no ADMIN_IDS: the bot prints a one-time link, and the first person who opens it
becomes the administrator and may create surveys; the link then works for nobody else."""

from __future__ import annotations

import logging
import re

import pytest

from bot.adapters.settings import Settings
from bot.app import assemble
from specs import load_catalog

from .conftest import Person


@pytest.fixture
def bare_app(database, messenger):  # noqa: ANN001, ANN201 - no ADMIN_IDS at all
    return assemble(Settings(bot_username="audit_survey_bot"), load_catalog(None), database, messenger)


async def test_the_first_opener_of_the_printed_link_becomes_the_administrator(bare_app, messenger, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.services.admins"):
        await bare_app.engine.startup()
    printed = " ".join(record.getMessage() for record in caplog.records)
    link = re.search(r"https://t\.me/audit_survey_bot\?start=(admin_\S+)", printed)
    assert link, printed

    operator = Person(bare_app.engine, messenger, 5001, "en")
    await operator.say("/newsurvey")
    assert operator.screen.text == "This command is for audit leads."
    await operator.say(f"/start {link.group(1)}")
    assert operator.screen.text.startswith("You are now the administrator of this bot.")
    await operator.say("/newsurvey")
    assert operator.labels  # the first step of a new survey: the specs to choose from

    latecomer = Person(bare_app.engine, messenger, 5002, "zh")
    await latecomer.say(f"/start {link.group(1)}")
    assert latecomer.screen.text == "此管理员链接已被使用或已失效。请联系运维人员。"

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.services.admins"):
        await bare_app.engine.startup()
    assert not caplog.records  # an administrator exists: no new link


async def test_a_forged_claim_makes_nobody_administrator(bare_app, messenger):
    await bare_app.engine.startup()
    intruder = Person(bare_app.engine, messenger, 5003, "en")
    await intruder.say("/start admin_guessed-token")
    assert "no longer valid" in intruder.screen.text
    await intruder.say("/newsurvey")
    assert intruder.screen.text == "This command is for audit leads."
