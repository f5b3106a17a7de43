"""The summary's chart through the engine: /summary sends it with n and the result, and Refresh redraws it
in place (an edit of the same photo message), with the summary text."""

from __future__ import annotations

import datetime as dt

from bot.adapters import storage
from bot.services.buttons import unpack

from .conftest import ADMIN_ID


async def _survey(app) -> storage.SurveyRecord:
    return await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Harbour Services",
                                       timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), target=10,
                                       created_by=ADMIN_ID)


async def test_refresh_redraws_the_chart_in_place_with_the_new_n_and_result(app, chat, messenger):
    survey = await _survey(app)
    await chat(2001).answer_every_question(survey.code, button=3)  # all "above expectations": α 0.8
    await chat(2002).answer_every_question(survey.code, button=4)  # all "far above": α 1.0
    lead = chat(ADMIN_ID)
    await lead.say("/summary")

    (chart_id, (chat_id, first_png, caption)), = messenger.photos.items()
    assert chat_id == ADMIN_ID and first_png.startswith(b"\x89PNG")
    # totals 80 and 100: mean 90.0, sd 14.1, t(1) = 12.7: the interval is 0–100, across every line
    assert "submitted responses: n = 2" in caption and "Service score 90.0: 4-star, provisional" in caption
    assert "Provisional: the interval crosses the line of" in lead.screen.text
    refresh = next(button.data for row in lead.screen.keyboard for button in row if button.text == "Refresh")
    assert unpack(refresh) == ("lr", ["ref", str(survey.id), str(chart_id)])

    for user_id in range(2003, 2011):  # eight more at α 1.0: totals 80 and 9 × 100, mean 98.0
        await chat(user_id).answer_every_question(survey.code, button=4)
    texts_before = len(messenger.messages)
    await lead.press("Refresh")

    assert messenger.photo_edits == [chart_id] and list(messenger.photos) == [chart_id]
    _chat, new_png, new_caption = messenger.photos[chart_id]
    assert new_png != first_png and "submitted responses: n = 10" in new_caption
    assert len(messenger.messages) == texts_before  # the summary text was edited, not sent again
    # totals 80 once and 100 nine times: mean 98.0, variance (18² + 9 × 2²) / 9 = 40, sd 6.325;
    # 98.0 ± t(9) 2.262 × 6.325 / √10 = ± 4.5: 93.5–100 crosses the 95 line. The band edge 94.95 is 3.05
    # away: n = 18 gives 2.110 × 6.325 / √18 = 3.15 (too wide), n = 19 gives 2.101 × 6.325 / √19 = 3.048: 9 more.
    text = lead.screen.text
    assert "Service score: 98.0 (5-star)" in text and "95% confidence interval: 93.5–100.0" in text
    assert "About 9 more responses would settle it." in text


async def test_refresh_of_a_summary_whose_chart_was_deleted_sends_a_new_chart(app, chat, messenger):
    survey = await _survey(app)
    await chat(2101).answer_every_question(survey.code, button=4)
    lead = chat(ADMIN_ID)
    await lead.say("/summary")
    (chart_id,) = messenger.photos
    del messenger.photos[chart_id]  # the lead deleted the chart

    await lead.press("Refresh")

    (new_id,) = messenger.photos
    assert new_id != chart_id and messenger.photo_edits == []
    refresh = next(button.data for row in lead.screen.keyboard for button in row if button.text == "Refresh")
    assert unpack(refresh)[1][2] == str(new_id)


async def test_a_forged_chart_id_is_void(app, chat, messenger):
    survey = await _survey(app)
    await chat(2201).answer_every_question(survey.code, button=4)
    lead = chat(ADMIN_ID)
    await lead.say("/summary")
    shown = dict(messenger.photos), lead.screen.text
    for forged in (f"lr|ref|{survey.id}|x9", f"lr|ref|{survey.id}|1|2", f"lr|sum|{survey.id}|1"):
        await lead.press_data(forged, message_id=2)
        assert (dict(messenger.photos), lead.screen.text) == shown and messenger.photo_edits == []
