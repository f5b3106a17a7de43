"""An audit lead's first survey, from an empty database, as the lead and the customers would do it:
the lead creates the survey by buttons (no code typed), one customer answers: the result is
provisional (one response gives no confidence interval); a second answers, saying "not applicable" once:
the lead refreshes the summary and reads it settled, and files the workbook."""

from __future__ import annotations

import io
import re

import openpyxl
from fakebot import FakeTelegramServer, FakeUser

from e2e.conftest import ADMIN_ID, at_first_question
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")


async def _create_survey_by_buttons(lead: FakeUser) -> str:
    await lead.send("/newsurvey")
    await lead.wait_reply()
    await lead.press("TBSC120")
    await lead.wait_reply()
    await lead.send("南昌城管局")
    await lead.wait_reply()
    await lead.press("50")
    await lead.wait_reply()
    await lead.press("In 2 weeks")
    await lead.wait_reply()
    await lead.press("Create")
    created = await lead.wait_reply(predicate=lambda text: "Survey created" in text)
    return re.search(r"start=(\S+)", created).group(1)


async def _answer_and_submit(telegram: FakeTelegramServer, user_id: int, code: str, *, first_not_applicable: bool):
    customer = await at_first_question(telegram, user_id, f"C{user_id}", code)
    for index in range(len(SPEC.items)):
        await customer.press("Not applicable" if index == 0 and first_not_applicable else "5 ")
        await customer.wait_reply()
    await customer.press("Submit")
    assert "thank" in (await customer.wait_reply()).lower()


async def test_a_leads_first_survey_from_an_empty_database_to_the_filed_workbook(telegram, bot_process, bot_env):
    await bot_process()
    lead = FakeUser(telegram, ADMIN_ID, "Lead", "en")
    code = await _create_survey_by_buttons(lead)

    await _answer_and_submit(telegram, 700301, code, first_not_applicable=False)
    await lead.send("/summary")  # one survey: straight to it, no code typed
    first = await lead.wait_reply(predicate=lambda text: "Service score" in text)
    assert "Service score 100.0: 5-star, provisional" in first, first

    await _answer_and_submit(telegram, 700302, code, first_not_applicable=True)
    await lead.press("Refresh")
    await lead.wait_callback_answer()
    settled = await telegram.wait_until(lambda: "submitted 2" in lead.screen().text or None, timeout=10)
    assert settled and "Settled:" in lead.screen().text, lead.screen().text

    await lead.send("/export")
    files = await telegram.wait_until(lambda: found if len(found := {
        upload.file_name: upload.data for upload in telegram.uploaded_files(ADMIN_ID)
        if upload.field == "document"}) == 2 else None, timeout=30)
    workbook_name = next(name for name in files if name.endswith(".xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(files[workbook_name]))
    assert workbook.sheetnames[-3:] == ["Survey report", "Log", "Glossary"]
    score_sheet = _texts(workbook.worksheets[0])
    assert SPEC.document in score_sheet and SPEC.version in score_sheet and "南昌城管局" in score_sheet
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    item_row = next(row for row in rows if str(row[1]).startswith("1.1."))
    assert item_row[-2:] == (1, 1)  # rated by one customer, "not applicable" for the other
    report = _texts(workbook["Survey report"])
    for expected in ("1. Scope", "2. Method", "3. Data exclusions", "4. Result", "5. Signatures",
                     "Audit lead (signature)", "Reviewer (signature)", "Settled:"):
        assert expected in report, expected
    log = _texts(workbook["Log"])
    assert "Seal" in log and f"surveybot survey verify {code}" in log and "created" in log


def _texts(sheet) -> str:
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
