"""The lead's summary gives each channel its own service score beside the total, so that channels that
disagree show; figures worked out by hand (TBSC120, α = rating / 5, the 19 weights sum to 100)."""

from __future__ import annotations

import datetime as dt

from bot.adapters import storage
from bot.services.respondent import RespondentService
from bot.services.web_survey import Form, Visitor, WebSurvey, Where, csrf_token, new_token

from .conftest import ADMIN_ID


async def _survey(app) -> storage.SurveyRecord:
    return await storage.create_survey(app.database.sessions, spec_id="TBSC120", organization="Channel Org",
                                       timezone="Asia/Shanghai", now=dt.datetime.now(dt.UTC), created_by=ADMIN_ID)


async def _answer_on_the_web(app, code: str, rating: int) -> None:
    """A browser taps Start, `rating` on all 19 questions and Submit, through the web page's service."""
    web = WebSurvey(app.database.sessions, app.catalog, RespondentService(app.database.sessions, app.catalog, "en"))
    visitor, where = Visitor.of(new_token(), "en", "en"), Where(f"/s/{code}", code=code)
    for action in ["start", *[f"r:{rating}"] * 19, "submit"]:
        page = (await web.show(visitor, where)).page
        assert page is not None and page.position
        reply = await web.act(visitor, where, Form(csrf_token(visitor.token), page.position, action))
        assert reply.status == 303, action


async def test_each_channel_gets_its_own_service_score_beside_the_total(app, chat):
    survey = await _survey(app)
    for user_id in (1101, 1102):  # two Telegram customers, every answer 5: α 1.0, score 100.0
        await chat(user_id).answer_every_question(survey.code, 4)
    await _answer_on_the_web(app, survey.code, 3)  # every answer 3: α 0.6, score 60.0
    lead = chat(ADMIN_ID)
    await lead.say(f"/summary {survey.code}")
    assert "Submitted by channel: Telegram 2 (score 100.0) · web page 1 (score 60.0)" in lead.screen.text
    assert "Service score: 86.7" in lead.screen.text  # each item (1.0 + 1.0 + 0.6) / 3 = 0.8667 of its weight


async def test_a_channel_whose_answers_are_all_not_applicable_has_an_undetermined_score(app, chat):
    survey = await _survey(app)
    await chat(1111).answer_every_question(survey.code, 4)
    spec = app.catalog.get("TBSC120")
    await storage.add_paper_respondent(app.database.sessions, survey.id, {item.code: None for item in spec.items},
                                       dt.datetime.now(dt.UTC))
    lead = chat(ADMIN_ID, "zh")
    await lead.say(f"/summary {survey.code}")
    assert "各渠道已提交：纸质问卷 1（得分 未确定） · Telegram 1（得分 100.0）" in lead.screen.text
    assert "服务特性测评得分：100.0" in lead.screen.text  # the total: "not applicable" answers left out
