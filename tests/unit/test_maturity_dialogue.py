"""The /maturity rating screens: rate all 21, resume at the first unrated, totals and the certification.

Hand-worked on TBSC120 (21 requirements, weights summing to 145):
  all at level 4: 145 × 4 / 5 = 116.0, which is ≥ 105: 五级 (the spec's level table, not 四级).
  all at level 3: 145 × 3 / 5 = 87.0, in [70, 95): 三级. With a service score of 96.0 (五星级 alone),
  三级 caps the result at 三星级.
"""

from __future__ import annotations

from decimal import Decimal

from conversations.maturity_dialogue import (
    SUMMARY,
    ServiceFigures,
    first_unrated,
    handle_action,
    opening_position,
    render,
)
from scoring.confidence import ConfidenceInterval
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
CODES = [r.code for r in SPEC.requirements]


def rate_all(level: int) -> dict[str, int]:
    levels: dict[str, int] = {}
    position = opening_position(SPEC, levels)
    while position != SUMMARY:
        step = handle_action(SPEC, levels, position, f"l:{level}")
        levels[step.rate[0]] = step.rate[1]
        position = step.position
    return levels


def test_rating_walks_through_all_21_requirements_then_the_summary():
    levels = rate_all(4)
    assert len(CODES) == 21 and levels == dict.fromkeys(CODES, 4)


def test_rating_screen_shows_group_requirement_weight_progress_and_current_level():
    screen = render(SPEC, {"2.1": 3}, "r4", "zh", "南昌", None)
    assert "5/21" in screen.text and "领导作用" in screen.text and "2.1 领导的作用和承诺" in screen.text
    assert "3 ✓" in [b.text for b in screen.buttons[0]]
    assert [b.action for b in screen.buttons[0]] == ["l:1", "l:2", "l:3", "l:4", "l:5"]


def test_resume_at_the_first_unrated_and_wrap_around():
    levels = dict.fromkeys(CODES, 2)
    del levels[CODES[3]], levels[CODES[10]]
    assert opening_position(SPEC, levels) == "r3"
    step = handle_action(SPEC, levels, "r10", "l:5")
    assert step.rate == (CODES[10], 5) and step.position == "r3"
    assert first_unrated(SPEC, dict.fromkeys(CODES, 1)) is None


def test_back_next_help_and_change_from_the_summary():
    assert handle_action(SPEC, {}, "r0", "next").position == "r1"
    assert handle_action(SPEC, {}, "r20", "next").position == SUMMARY
    assert handle_action(SPEC, {}, "r5", "back").position == "r4"
    assert handle_action(SPEC, {}, "r5", "help").position == "h5"
    assert handle_action(SPEC, {}, "h5", "rate").position == "r5"
    assert handle_action(SPEC, {}, SUMMARY, "go:7").position == "r7"
    assert handle_action(SPEC, {}, "r0", "l:9").invalid
    assert handle_action(SPEC, {}, "r99", "l:3").rate is None


def test_levels_screen_shows_the_groups_five_descriptions():
    screen = render(SPEC, {}, "h0", "en", "Org", None)
    assert screen.text.count("\n\n") == 5 and "Context of the organization" in screen.text


def test_all_level_4_gives_116_and_level_5():
    text = render(SPEC, rate_all(4), SUMMARY, "zh", "Org", None).text
    assert "116.0" in text and "五级" in text and "已评定 21 / 21" in text


def test_service_96_with_management_level_3_is_capped_at_three_stars():
    text = render(SPEC, rate_all(3), SUMMARY, "zh", "Org", ServiceFigures(Decimal("96.0"), 30)).text
    assert "87.0" in text and "三级" in text
    assert "三星级" in text and "五星级" in text  # the service grade and the capped result
    english = render(SPEC, rate_all(3), SUMMARY, "en", "Org", ServiceFigures(Decimal("96.0"), 30)).text
    assert "Certification result: 3-star" in english
    assert "reaches 5-star; the management level (Level 3) limits the result to 3-star" in english


def test_unrated_requirements_hold_back_the_result_and_offer_to_continue():
    levels = dict.fromkeys(CODES[:20], 5)
    screen = render(SPEC, levels, SUMMARY, "en", "Org", ServiceFigures(Decimal("99.0"), 3))
    assert "Rate all 21" in screen.text and "Certification" not in screen.text
    assert screen.buttons[0][0].action == "go:20"
    assert len([b for b in screen.flat_buttons if b.action.startswith("go:")]) == 22


def test_an_undetermined_service_score_holds_back_the_certification():
    # every answer to some item was "not applicable": no service score yet, so no certification result
    text = render(SPEC, rate_all(3), SUMMARY, "en", "Org", ServiceFigures(None, 2)).text
    assert "87.0" in text and "undetermined" in text and "Certification result" not in text
    assert "认证结果需等待" in render(SPEC, rate_all(3), SUMMARY, "zh", "Org", ServiceFigures(None, 2)).text


def test_the_maturity_result_is_provisional_while_the_service_interval_crosses_a_grade_line():
    # 96.0 ± 1.5 reaches below the 95 line: the certification result (三星级, capped) is provisional too
    across = ServiceFigures(Decimal("96.0"), 12, ConfidenceInterval(96.0, 2.4, 12, 94.5, 97.5))
    text = render(SPEC, rate_all(3), SUMMARY, "en", "Org", across).text
    assert "Provisional: the interval crosses the line of 5-star (95 points)" in text
    assert "Certification result: 3-star (provisional)" in text
