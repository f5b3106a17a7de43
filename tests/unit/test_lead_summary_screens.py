"""The lead's survey list, survey card and summary screens, built from plain figures (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conversations.lead_setup_screens import not_a_lead_text
from conversations.lead_summary import (
    action,
    parse_action,
    summary_screen,
    survey_card_screen,
    survey_list_screen,
)
from conversations.summary_figures import Scores, SurveyListEntry, SurveySummary, lowest_items
from scoring.certification import certify
from scoring.confidence import ConfidenceInterval
from scoring.service import characteristic_scores, item_scores
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
LINK = "https://t.me/audit_survey_bot?start=GZ2026A"
CLOSES = dt.datetime(2026, 6, 30, 16, 30, tzinfo=dt.UTC)  # 1 July 00:30 in Shanghai


def summary(scores: Scores | None, straight: tuple[int, ...] = (),
            speeders: tuple[int, ...] = ()) -> SurveySummary:
    return SurveySummary(
        survey_id=7, code="GZ2026A", organization="南昌城管", spec=SPEC, status="open", target=40,
        closes_at=CLOSES, timezone="Asia/Shanghai", joined=30, started=4, submitted=25 if scores else 0,
        scores=scores, straight_liners=straight, speeders=speeders)


def scores_all_fours_but_1_3() -> Scores:
    """25 respondents rate everything 4 (α 0.8) except 1.3, rated 2 (α 0.4) by all:
    功能性 = 4 + 5.6 + 2 = 11.6 of 17 (68.2 %); service = 83 × 0.8 + 4 + 5.6 + 2 = 78.0."""
    histograms = {item.code: {4: 25} for item in SPEC.items} | {"1.3": {2: 25}}
    items = item_scores(SPEC, histograms)
    interval = ConfidenceInterval(mean=78.0, sd=6.0, n=25, low=75.52, high=80.48)
    characteristics = tuple(characteristic_scores(SPEC, items))
    return Scores(respondents=25, items=tuple(items), characteristics=characteristics,
                  service_score=Decimal("78.0"), grade=None, interval=interval,
                  lowest=lowest_items(SPEC, items))


def test_summary_shows_progress_scores_interval_lowest_items_and_flags_in_english():
    flagged = summary(scores_all_fours_but_1_3(), straight=(3, 9), speeders=(12,))
    text = summary_screen(flagged, "en", LINK).text
    assert "Joined 30 · in progress 4 · submitted 25 / target 40" in text
    assert "Closes 2026-07-01" in text
    assert "Service score: 78.0 (no grade reached)" in text
    assert "95% confidence interval: 75.5–80.5" in text
    # 78.0 ± 2.5 crosses the 80 line; with sd 6.0, 39 responses would fit into [60, 80): 14 more
    assert "Provisional: the interval crosses the line of 3-star (80 points)" in text
    assert "About 14 more responses would settle it." in text
    assert "1. " in text and "11.6 / 17 (68.2%)" in text
    lowest = text.split("Lowest-scoring items (share of the item's points):")[1]
    assert lowest.strip().startswith("1.3") and ": 40.0%" in lowest
    assert "α" not in text and "/help" in text
    assert "Straight-lining (same rating for all 19 items): 2 (#3, #9)" in text
    assert "Speeding (submitted in under a third of the median time): 1 (#12)" in text
    assert LINK not in text


def test_summary_buttons_refresh_export_and_go_back_to_the_list():
    screen = summary_screen(summary(scores_all_fours_but_1_3()), "en", LINK)
    assert [(b.text, parse_action(b.action)) for b in screen.flat_buttons] == [
        ("Refresh", ("ref", 7)), ("Export", ("exp", 7)), ("My surveys", ("list", 0))]


def test_summary_in_chinese_uses_the_catalog_and_spec_labels():
    text = summary_screen(summary(scores_all_fours_but_1_3()), "zh", LINK).text
    assert "服务特性测评得分" in text or "服务得分" in text
    assert SPEC.characteristics[0].name.zh in text
    assert "Service score" not in text


def test_no_responses_yet_is_a_friendly_note_with_the_invite_link():
    text = summary_screen(summary(None), "en", LINK).text
    assert "No responses submitted yet" in text and LINK in text
    assert "Service score" not in text and "Traceback" not in text


def test_long_flag_lists_are_cut_after_twenty_numbers():
    text = summary_screen(summary(scores_all_fours_but_1_3(), speeders=tuple(range(1, 31))), "en", None).text
    assert "30 (#1, #2," in text and "#20, …)" in text and "#21" not in text


def test_survey_list_has_a_line_and_a_button_per_survey_and_a_way_to_start_when_empty():
    entries = [
        SurveyListEntry(7, "GZ2026A", "南昌城管", "TBSC120", "open", 4, 25, 40, CLOSES, "Asia/Shanghai"),
        SurveyListEntry(3, "OLD1", "Old Org", "TBSC120", "closed", 0, 12, None, None, "Asia/Shanghai")]
    screen = survey_list_screen(entries, "en")
    assert "25 of 40 submitted, 4 in progress" in screen.text and "12 submitted, 0 in progress" in screen.text
    assert "closed" in screen.text and "Closes 2026-07-01" in screen.text
    assert [parse_action(b.action) for b in screen.flat_buttons] == [("open", 7), ("open", 3)]
    assert "/newsurvey" in survey_list_screen([], "en").text


def test_survey_card_offers_every_lead_action_on_this_survey_and_back():
    entry = SurveyListEntry(7, "GZ2026A", "南昌城管", "TBSC120", "open", 4, 25, 40, None, "Asia/Shanghai")
    screen = survey_card_screen(entry, "en")
    assert "GZ2026A" in screen.text and "25 of 40 submitted" in screen.text
    assert [parse_action(b.action) for b in screen.flat_buttons] == [
        ("sum", 7), ("exp", 7), ("inv", 7), ("rem", 7), ("mat", 7), ("dates", 7), ("stat", 7), ("colead", 7),
        ("links", 7), ("list", 0)]
    assert "Close the survey" in [b.text for b in screen.flat_buttons]


def test_a_closed_survey_card_offers_to_reopen_it_in_chinese():
    entry = SurveyListEntry(7, "GZ2026A", "南昌城管", "TBSC120", "closed", 0, 25, 40, None, "Asia/Shanghai")
    labels = [b.text for b in survey_card_screen(entry, "zh").flat_buttons]
    assert "重新开放问卷" in labels
    assert "邀请链接和二维码" in labels and "提醒设置" in labels


def test_actions_fit_telegram_callback_data_and_refuse_foreign_text():
    assert len(action("open", 2**31)) <= 20
    for foreign in ("x:1", "open:", "open:-1", "sum:1a"):
        try:
            parse_action(foreign)
        except ValueError:
            continue
        raise AssertionError(foreign)


def test_not_a_lead_text_is_translated():
    assert not_a_lead_text("en") == "This command is for audit leads."
    assert not_a_lead_text("zh") != not_a_lead_text("en")


def test_summary_shows_the_certification_result_as_provisional_while_the_grade_is():
    scores = scores_all_fours_but_1_3()
    text = summary_screen(summary(scores), "zh", LINK, certify(SPEC, Decimal("78.0"), 2)).text
    assert "暂定" in text and "认证结果：通过认证，不评等级（暂定）" in text
