"""What a customer sees in the chat (issue 18, point 4): one live screen at a time, questions numbered
1–19 up to the review, a clear reply to what the bot cannot read, a too-long comment given back."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.adapters import storage
from bot.adapters.settings import Settings
from bot.app import assemble
from bot.services.flood import ChatFloodGuard
from bot.services.reminders import ReminderSweeper
from conversations.message_kinds import MessageKind
from specs import load_catalog

from .conftest import ADMIN_ID, Person, RecordingMessenger

BELOW = "↓ Continued in the message below."
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _survey(app) -> storage.SurveyRecord:
    return await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Harbour Services",
                                       timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), target=10,
                                       created_by=ADMIN_ID)


async def _at_question(app, chat, user_id: int, language: str = "en", answered: int = 0) -> Person:
    survey = await _survey(app)
    customer = chat(user_id, language)
    await customer.say(f"/start {survey.code}")
    await customer.press(customer.labels[-1])  # Start (开始), under the language row
    for _ in range(answered):
        await customer.press(customer.labels[3])
    return customer


def _live(messenger: RecordingMessenger, chat_id: int) -> list[int]:
    """The ids of the chat's messages that still carry buttons."""
    return [message_id for message_id, shown in messenger.messages.items()
            if shown.chat_id == chat_id and shown.keyboard]


async def _stored(app, user_id: int) -> storage.RespondentRecord:
    respondent = await storage.latest_respondent_for_user(app.database.sessions, user_id)
    assert respondent is not None
    return respondent


# --- one live screen ---

async def test_typed_text_moves_the_screen_down_and_the_old_one_loses_its_buttons(app, chat, messenger):
    customer = await _at_question(app, chat, 2001)
    first_id, _ = messenger.latest(2001)
    await customer.say("hello")
    new_id, shown = messenger.latest(2001)
    assert new_id != first_id and "1/19" in shown.text and shown.text.startswith("Please tap one of the buttons")
    assert messenger.messages[first_id].text == BELOW and messenger.messages[first_id].keyboard is None
    assert _live(messenger, 2001) == [new_id]
    await customer.say("4")  # a typed answer: question 2 in a new message, question 1 retired
    assert "2/19" in customer.screen.text and _live(messenger, 2001) == [messenger.latest(2001)[0]]
    assert messenger.messages[new_id].text == BELOW
    assert (await _stored(app, 2001)).screen_message_id == messenger.latest(2001)[0]


async def test_start_again_and_a_restart_leave_one_live_screen(app, chat, messenger, database):
    customer = await _at_question(app, chat, 2002, answered=2)
    survey_code = (await storage.list_surveys(app.database.sessions))[0].survey.code
    await customer.say(f"/start {survey_code}")
    assert "3/19" in customer.screen.text and len(_live(messenger, 2002)) == 1
    restarted = assemble(Settings(admin_ids=frozenset({ADMIN_ID}), bot_username="audit_survey_bot"),
                         load_catalog(None), database, messenger)
    before = messenger.latest(2002)[0]
    await Person(restarted.engine, messenger, 2002, "en").say("/help")
    assert messenger.messages[before].text == BELOW
    assert _live(messenger, 2002) == [messenger.latest(2002)[0]] and "3/19" in customer.screen.text


async def test_a_tap_already_on_its_way_on_the_older_screen_still_counts(app, chat, messenger):
    """The customer typed, then tapped the old message before it lost its buttons: the answer is kept,
    that message shows the next question, and the newer one is retired pointing up."""
    customer = await _at_question(app, chat, 2003)
    old_id, old = messenger.latest(2003)
    rate_4 = next(button.data for row in old.keyboard for button in row if button.data.endswith("|r:4"))
    await customer.say("hello")
    newer_id = messenger.latest(2003)[0]
    await customer.press_data(rate_4, old_id)
    assert "2/19" in messenger.messages[old_id].text
    assert messenger.messages[newer_id].text == "↑ Continued in the message above."
    assert _live(messenger, 2003) == [old_id]
    async with app.database.sessions() as session:
        answers = (await session.execute(text("SELECT item_code, rating FROM answer"))).all()
    assert [tuple(row) for row in answers] == [("1.1", 4)]


async def test_a_reminder_becomes_the_live_screen_and_its_continue_goes_on_there(app, chat, messenger):
    customer = await _at_question(app, chat, 2009, answered=2)
    question_id = messenger.latest(2009)[0]
    now = dt.datetime.now(SHANGHAI).replace(hour=10) + dt.timedelta(days=3)  # inside the send window
    async with app.database.sessions.begin() as session:
        await session.execute(text("UPDATE respondent SET joined_at = :then, last_active_at = :then"),
                              {"then": now - dt.timedelta(days=2)})
    survey = (await storage.list_surveys(app.database.sessions))[0].survey
    sweeper = ReminderSweeper(app.database.sessions, app.catalog, customer.engine.deps.delivery, clock=lambda: now)
    assert (await sweeper.remind_now(survey)).sent == 1
    reminder_id = messenger.latest(2009)[0]
    assert messenger.messages[question_id].text == BELOW and _live(messenger, 2009) == [reminder_id]
    await customer.press("Continue")
    assert "3/19" in messenger.messages[reminder_id].text and _live(messenger, 2009) == [reminder_id]


# --- numbered 1–19 ---

async def test_the_review_numbers_the_questions_1_to_19(app, chat):
    customer = await _at_question(app, chat, 2004, "zh", answered=19)
    assert customer.labels == [str(number) for number in range(1, 20)] + ["✎ 补充意见", "✅ 提交"]
    lines = customer.screen.text.split("\n")
    assert "1. 功能性 · 人员 — 4 高于预期" in lines and "19. 服务规范 · 制定服务规范 — 4 高于预期" in lines
    await customer.press("11")
    assert customer.screen.text.startswith("11/19")


# --- what the bot cannot read ---

KINDS_EN = {
    MessageKind.VOICE: "We cannot listen to voice messages.",
    MessageKind.STICKER: "We cannot read stickers.",
    MessageKind.PHOTO: "We cannot read photos.",
    MessageKind.VIDEO_NOTE: "We cannot watch video messages.",
    MessageKind.DOCUMENT: "We cannot read files.",
    MessageKind.LOCATION: "We cannot use a location here.",
    MessageKind.OTHER: "We cannot read this kind of message.",
}
KINDS_ZH = {
    MessageKind.VOICE: "我们无法收听语音消息。",
    MessageKind.STICKER: "我们无法识别贴纸。",
    MessageKind.PHOTO: "我们无法识别图片。",
    MessageKind.VIDEO: "我们无法观看视频。",
    MessageKind.CONTACT: "我们在这里无法使用联系人，也不需要：您的回答是匿名的。",
}


@pytest.mark.parametrize(("language", "kinds", "what_to_do"), [
    ("en", KINDS_EN, " Please tap a button below to answer, or type a number 1–5."),
    ("zh", KINDS_ZH, "请点击下方的按钮作答，或输入数字 1–5。"),
], ids=["en", "zh"])
async def test_each_kind_of_message_gets_its_own_reply_above_the_question(app, chat, messenger, language, kinds,
                                                                          what_to_do):
    customer = await _at_question(app, chat, 2005, language, answered=1)
    for kind, sentence in kinds.items():
        customer.engine.flood = ChatFloodGuard()  # a fresh burst: the guard answers one message a second
        await customer.engine.message(customer.sender, None, kind)
        note, _, screen = customer.screen.text.partition("\n\n")
        assert note == sentence + what_to_do and screen.startswith("2/19")
        assert len(_live(messenger, 2005)) == 1
    assert (await _stored(app, 2005)).position == "q:1"


async def test_unreadable_messages_at_other_steps_and_from_people_in_no_survey(app, chat, engine):
    customer = await _at_question(app, chat, 2006, "zh", answered=19)
    await customer.press("补充意见")
    await engine.message(customer.sender, None, MessageKind.VOICE)
    assert customer.screen.text.startswith("我们无法收听语音消息。请以文字消息输入您的意见，或点击下方的按钮。\n\n")
    visitor = chat(2007, "zh")
    await engine.message(visitor.sender, None, MessageKind.STICKER)
    assert visitor.screen.text == "我们无法识别贴纸。如需参与问卷，请打开您收到的邀请链接或扫描二维码。"
    lead = chat(ADMIN_ID, "en")
    await lead.say("/newsurvey")
    await engine.message(lead.sender, None, MessageKind.PHOTO)
    assert lead.screen.text == "We cannot read photos. Please type your answer as a text message, or tap a button."


# --- a comment over the limit ---

async def test_a_comment_over_the_limit_is_refused_with_the_count_and_given_back(app, chat, messenger):
    customer = await _at_question(app, chat, 2008, "zh", answered=19)
    await customer.press("补充意见")
    comment = "服务很好，" * 246 + "谢谢"  # 5 × 246 + 2 = 1,232 characters
    await customer.say(comment)
    (echo_id, echo), (screen_id, screen) = sorted(messenger.messages.items())[-2:]
    assert echo.text == comment and echo.keyboard is None
    assert screen.text.startswith("您的意见共 1,232 个字符，上限为 1,000 个。您的原文已保留，请删减后重新发送。\n\n")
    assert _live(messenger, 2008) == [screen_id]
    assert (await _stored(app, 2008)).comment is None
    await customer.say(comment[:1000])
    assert (await _stored(app, 2008)).comment == comment[:1000]
