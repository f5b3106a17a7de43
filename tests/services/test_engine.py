"""The use-cases through the engine, as any shell calls them: what each person is shown."""

from __future__ import annotations

import datetime as dt

from bot.adapters import storage
from bot.adapters.reports import MissingCJKFontError
from bot.services.buttons import pack

from .conftest import ADMIN_ID


async def _survey(app, organization: str = "Harbour Services") -> storage.SurveyRecord:
    return await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization=organization,
                                       timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), target=10,
                                       created_by=ADMIN_ID)


async def test_a_customer_answers_every_question_and_submits(app, chat):
    survey = await _survey(app)
    customer = chat(1001)
    await customer.say(f"/start {survey.code}")
    assert "Harbour Services" in customer.screen.text
    await customer.press("Start")
    for number in range(1, 20):
        assert f"{number}/19" in customer.screen.text
        await customer.press(customer.labels[3])  # the fourth scale point
    assert "Submit" in " ".join(customer.labels)
    await customer.press(next(label for label in customer.labels if "Submit" in label))
    rows = await storage.list_surveys(app.database.sessions)
    assert rows[0].progress.submitted == 1


async def test_one_screen_is_edited_in_place_while_answering(app, chat, messenger):
    survey = await _survey(app)
    customer = chat(1002)
    await customer.say(f"/start {survey.code}")
    await customer.press("Start")
    shown_before = len(messenger.messages)
    await customer.press(customer.labels[0])
    assert len(messenger.messages) == shown_before  # the answer edited the question's message
    assert "2/19" in customer.screen.text


async def test_a_forged_button_is_void_and_changes_nothing(app, chat):
    survey = await _survey(app)
    customer = chat(1003)
    await customer.say(f"/start {survey.code}")
    await customer.press("Start")
    await customer.press_data(pack("a", survey.id, "q:5", "r:5"), message_id=1)  # not the screen shown
    assert "1/19" in customer.screen.text  # the question on screen stays
    await customer.press_data("garbage|||", message_id=1)
    assert customer.last_press_answer == "This button is no longer valid."
    await customer.press_data(pack("a", survey.id + 1, "q:0", "r:5"), message_id=1)  # another survey
    assert customer.last_press_answer == "This button is no longer valid."
    answers = await storage.respondent_for(app.database.sessions, survey.id, 1003)
    assert answers is not None and answers.position == "q:0"


async def test_lead_commands_are_refused_to_a_customer_whatever_the_code(app, chat):
    survey = await _survey(app)
    stranger = chat(1004)
    for command in ("/summary", f"/summary {survey.code}", "/summary NOSUCH", "/export", "/surveys"):
        await stranger.say(command)
        assert stranger.screen.text == "This command is for audit leads."


async def test_a_lead_button_pressed_by_a_stranger_is_refused(app, chat):
    survey = await _survey(app)
    stranger = chat(1005)
    await stranger.say("hello")
    await stranger.press_data(pack("lr", "sum", survey.id), message_id=1)
    assert stranger.last_press_answer == "This command is for audit leads."


async def test_a_lead_with_one_survey_reads_its_summary_without_a_code(app, chat):
    await _survey(app, "Only Org")
    lead = chat(ADMIN_ID)
    await lead.say("/summary")
    assert "Only Org" in lead.screen.text
    assert "Refresh" in lead.labels


async def test_a_lead_with_several_surveys_picks_one_by_button_instead_of_typing_a_code(app, chat):
    await _survey(app, "Older Org")
    await _survey(app, "Newest Org")
    lead = chat(ADMIN_ID)
    await lead.say("/summary")
    assert lead.screen.text == "Which survey? Tap one (newest first)."
    assert lead.labels == ["Newest Org · TBSC120 · open", "Older Org · TBSC120 · open"]
    await lead.press("Older Org")
    assert "Older Org" in lead.screen.text and "Refresh" in lead.labels
    await lead.say("/maturity")
    await lead.press("Newest Org")
    assert "Newest Org" in lead.screen.text


async def test_a_blocked_customer_is_marked_unreachable(app, chat, messenger):
    survey = await _survey(app)
    customer = chat(1006)
    await customer.say(f"/start {survey.code}")
    messenger.blocked.add(1006)
    await customer.say("hello again")
    respondent = await storage.respondent_for(app.database.sessions, survey.id, 1006)
    assert respondent is not None and respondent.unreachable


async def test_without_a_chinese_font_the_summary_still_comes_with_a_line_about_the_chart(app, chat, messenger,
                                                                                       monkeypatch):
    def no_font(*_args: object) -> bytes:
        raise MissingCJKFontError("No font with Chinese glyphs is installed")

    monkeypatch.setattr("bot.services.lead_reports.render_chart", no_font)
    survey = await _survey(app, "Fontless Org")
    await chat(1010).answer_every_question(survey.code, button=4)
    lead = chat(ADMIN_ID)
    await lead.say("/summary")
    texts = [shown.text for shown in messenger.messages.values() if shown.chat_id == ADMIN_ID]
    assert texts[0].startswith("The chart is not available: the server has no font with Chinese characters.")
    assert "Fontless Org" in texts[1] and "Service score: 100.0" in texts[1]
    assert not messenger.files


async def test_the_invite_names_the_web_page_when_there_is_one(app, chat):
    survey = await _survey(app, "Web Too Org")
    lead = chat(ADMIN_ID)
    await lead.say(f"/summary {survey.code}")
    app.engine.deps.settings = app.settings.model_copy(update={"web_base_url": "https://survey.example.org/"})
    await lead.press_data(pack("lr", "inv", survey.id), message_id=1)
    texts = [shown.text for shown in lead.messenger.messages.values() if shown.chat_id == ADMIN_ID]
    invite = next(text for text in texts if text.startswith("Invite link for the customers of Web Too Org"))
    assert invite.endswith("Customers without Telegram answer the same survey in a browser:\n"
                           f"https://survey.example.org/s/{survey.code}")


async def test_help_language_and_cancel_answer_a_lead_with_lead_texts(app, chat):
    lead = chat(ADMIN_ID)
    await lead.say("/help")
    assert lead.screen.text.startswith("You lead audits here. What you can do:")
    assert "/newsurvey – Create a survey" in lead.screen.text and "/summary" in lead.screen.text
    await lead.say("/start")
    assert lead.screen.text.startswith("You lead audits here.")
    await lead.say("/language")
    assert "Telegram's settings" in lead.screen.text
    await lead.say("/cancel")
    assert lead.screen.text == "There is nothing to cancel."
    stranger = chat(1020)
    await stranger.say("/help")
    assert stranger.screen.text.startswith("Hello! This bot collects customer feedback")


async def test_the_summary_counts_submitted_responses_per_channel(app, chat):
    survey = await _survey(app, "Mixed Org")
    await chat(1030).answer_every_question(survey.code, button=3)
    spec = app.catalog.get("TBSC120")
    await storage.add_paper_respondent(app.database.sessions, survey.id, {item.code: 5 for item in spec.items},
                                       dt.datetime.now(dt.UTC))
    lead = chat(ADMIN_ID)
    await lead.say(f"/summary {survey.code}")
    assert "Submitted by channel: paper 1 (score 100.0) · Telegram 1 (score 80.0)" in lead.screen.text
    assert "Service score: 90.0" in lead.screen.text  # (80 + 100) / 2: both channels in one score
