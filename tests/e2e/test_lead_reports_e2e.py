"""An audit lead reads the live summary and exports the score sheet through the real bot process.

Three respondents answered beforehand (the sample of tests/test_cli_score.py: service score 79.7).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from answering import answer, submit
from fakebot import FakeTelegramServer, FakeUser

from bot.adapters import storage
from bot.adapters.storage import SurveyRecord
from e2e.conftest import ADMIN_ID
from e2e.surveys import create_survey
from specs import load_catalog

ITEMS = [item.code for item in load_catalog().get("TBSC120").items]
SAMPLE = ({"1.1": 5, "1.2": 5, "1.3": 2}, {"1.1": 5, "1.2": 4, "1.3": 3}, {"1.1": 4, "1.2": 3, "1.3": 4})
NOT_A_LEAD = "This command is for audit leads."


async def answered_survey(database_url: str) -> SurveyRecord:
    survey = await create_survey(database_url, organization="南昌城管")
    database = await storage.open_database(database_url)
    try:
        joined = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        for user_id, overrides in enumerate(SAMPLE, start=800001):
            respondent = await storage.join(database.sessions, survey.id, user_id, user_id, "zh", joined)
            for code in ITEMS:
                rating = overrides.get(code, 4)
                await answer(database.sessions, respondent.id, code, rating, joined)
            await submit(database.sessions, respondent.id, joined + dt.timedelta(minutes=8))
    finally:
        await database.close()
    return survey


def documents(telegram: FakeTelegramServer, chat_id: int) -> dict[str, bytes]:
    return {upload.file_name: upload.data for upload in telegram.uploaded_files(chat_id)
            if upload.field == "document"}


async def test_the_lead_gets_the_summary_with_a_chart_and_refreshes_it(telegram, bot_process, bot_env):
    survey = await answered_survey(bot_env["DATABASE_URL"])
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send("/summary")
    text = await lead.wait_reply(predicate=lambda t: "Service score:" in t)
    assert "Service score: 79.7 (no grade reached)" in text
    assert "submitted 3 / target —" in text and "95% confidence interval: 77.3–82.0" in text
    assert "1.3" in text.split("Lowest-scoring items (share of the item's points):")[1]
    assert "Provisional: the interval crosses the line of 3-star (80 points)" in text
    photos = telegram.requests("sendPhoto", chat_id=ADMIN_ID, status=200)
    assert len(photos) == 1 and photos[0].files["photo"].data.startswith(b"\x89PNG")
    summary_message = lead.screen()
    await lead.press("Refresh")
    await lead.wait_callback_answer()
    redrawn = await telegram.wait_until(  # the chart, redrawn in place
        lambda: telegram.requests("editMessageMedia", chat_id=ADMIN_ID, status=200) or None, timeout=20)
    await lead.wait_quiet()
    assert redrawn is not None and redrawn[0].params["message_id"] == photos[0].response["result"]["message_id"]
    assert lead.screen().text == summary_message.text and len(lead.messages()) == 2
    assert survey.code in text


async def test_export_sends_the_workbook_and_the_csv(telegram, bot_process, bot_env):
    survey = await answered_survey(bot_env["DATABASE_URL"])
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "zh")
    await lead.send(f"/export {survey.code}")
    files = await telegram.wait_until(
        lambda: found if len(found := documents(telegram, ADMIN_ID)) == 2 else None, timeout=20)
    assert files is not None, lead.texts()
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    workbook_name = f"TBSC120_{survey.code}_{today}.xlsx"
    assert set(files) == {workbook_name, f"TBSC120_{survey.code}_{today}.csv"}
    sheet = openpyxl.load_workbook(io.BytesIO(files[workbook_name])).worksheets[0]
    score_row = next(row for row in sheet.iter_rows() if row[0].value == "服务特性测评得分")
    assert score_row[5].value == 79.7
    csv_lines = files[f"TBSC120_{survey.code}_{today}.csv"].decode("utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + 3 * len(ITEMS) and "800001" not in "".join(csv_lines)


async def test_surveys_lists_the_survey_and_its_button_opens_it(telegram, bot_process, bot_env):
    survey = await answered_survey(bot_env["DATABASE_URL"])
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send("/surveys")
    listing = await lead.wait_reply()
    assert "南昌城管" in listing and "3 submitted, 0 in progress" in listing
    await lead.press("南昌城管")
    card = await lead.wait_reply()
    assert survey.code in card and lead.screen().labels == [
        "Summary", "Export", "Invite link and QR code", "Reminders", "Management maturity", "Dates and target",
        "Close the survey", "Add a co-lead", "Personal links", "My surveys"]
    await lead.press("Summary")
    assert "Service score: 79.7" in await lead.wait_reply(predicate=lambda t: "Service score:" in t)


async def test_the_survey_card_leads_to_every_action_on_the_survey(telegram, bot_process, bot_env):
    survey = await answered_survey(bot_env["DATABASE_URL"])
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    expectations = {
        "Invite link and QR code": f"https://t.me/audit_survey_bot?start={survey.code}",
        "Reminders": "Reminders for 南昌城管",
        "Management maturity": "Management maturity of 南昌城管 · 1/21",
        "Close the survey": "Close the survey for 南昌城管",
        "Add a co-lead": "https://t.me/audit_survey_bot?start=lead_",
    }
    for label, expected in expectations.items():
        await lead.send("/surveys")
        await lead.wait_reply(predicate=lambda t: t.startswith("Your surveys"))
        await lead.press("南昌城管")
        await lead.wait_reply(predicate=lambda t: "Survey code" in t)
        await lead.press(label)
        assert expected in await lead.wait_reply(predicate=lambda t, e=expected: e in t), label
    photos = await telegram.wait_until(lambda: telegram.requests("sendPhoto") or None, timeout=10)
    assert len(photos) == 1  # the invite's QR code


async def test_command_menus_are_set_for_everyone_and_for_the_lead(telegram, bot_process):
    await bot_process()
    lead_scope = {"type": "chat", "chat_id": ADMIN_ID}
    found = await telegram.wait_until(lambda: telegram.my_commands(lead_scope, "zh") or None, timeout=10)
    lead_names = [command["command"] for command in found]
    for name in ("newsurvey", "surveys", "summary", "export", "maturity", "close", "reopen", "addlead",
                 "remind", "reminders", "start", "help", "language", "cancel"):
        assert name in lead_names
    english = {c["command"]: c["description"] for c in telegram.my_commands(lead_scope, "en")}
    chinese = {c["command"]: c["description"] for c in found}
    assert english["summary"] != chinese["summary"]
    everyone = [command["command"] for command in telegram.my_commands(None, "en")]
    assert everyone == ["start", "help", "language", "cancel"]


async def test_a_non_lead_sees_no_survey_data_whatever_they_try(telegram, bot_process, bot_env):
    survey = await answered_survey(bot_env["DATABASE_URL"])
    await bot_process()
    stranger = FakeUser(telegram, 700002, "Stranger", "en")
    for command in ("/surveys", "/summary", f"/summary {survey.code}", "/summary NOSUCHCODE",
                    f"/export {survey.code}", "/export NOSUCHCODE"):
        await stranger.send(command)
        assert await stranger.wait_reply() == NOT_A_LEAD, command
    for data in (f"lr|sum|{survey.id}", f"lr|exp|{survey.id}", f"lr|open|{survey.id}", "lr|list|0",
                 f"lr|ref|{survey.id + 1}", f"lr|inv|{survey.id}", f"lr|rem|{survey.id}",
                 f"lr|mat|{survey.id}", f"lr|stat|{survey.id}", f"lr|colead|{survey.id}"):
        await stranger.press_data(stranger.screen().message_id, data)
        assert await stranger.wait_callback_answer() == NOT_A_LEAD, data
    await stranger.wait_quiet()
    assert telegram.uploaded_files(700002) == []
    assert all(text == NOT_A_LEAD for text in stranger.texts())


async def test_a_lead_is_told_when_there_is_no_survey_to_report_on(telegram, bot_process, bot_env):
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send("/summary")
    assert "no surveys yet" in (await lead.wait_reply()).lower()
    await create_survey(bot_env["DATABASE_URL"])
    await lead.send("/export NOSUCHCODE")
    assert "cannot find that survey" in (await lead.wait_reply()).lower()
    assert not telegram.requests("sendDocument")


async def test_the_maturity_result_uses_the_live_service_score(telegram, bot_process, bot_env):
    """All 21 requirements at level 4 (total 116.0, 五级) with the 79.7 sample: certified, no grade."""
    survey = await answered_survey(bot_env["DATABASE_URL"])
    database = await storage.open_database(bot_env["DATABASE_URL"])
    try:
        for requirement in load_catalog().get("TBSC120").requirements:
            await storage.set_level(database.sessions, survey.id, requirement.code, 4, ADMIN_ID,
                                    dt.datetime.now(dt.UTC))
    finally:
        await database.close()
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    await lead.send(f"/maturity {survey.code}")
    result = await lead.wait_reply()
    assert "Management total: 116.0" in result
    assert "Responses in total: 3" in result and "Service score: 79.7 (no grade reached)" in result
    assert "Certification result: certified without a grade (provisional)" in result
