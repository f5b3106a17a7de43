"""The one wording of a survey's result: provisional (with how many more responses), settled, capped by
management, undetermined; figures worked out by hand on TBSC120 (grade lines 60, 80, 90, 95)."""

from __future__ import annotations

from decimal import Decimal

from conversations.result_wording import (
    ResultFigures,
    Standing,
    more_to_settle,
    rated_certification,
    result_headline,
    result_lines,
    standing,
)
from scoring.certification import certify
from scoring.confidence import ConfidenceInterval
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")

# Mean 78.0, sd 6.0 over 25 responses: 78.0 ± 2.064 × 6 / 5 = [75.52, 80.48] crosses the 80 line.
# The nearer band edge is 79.95 (80.0 once displayed), 1.95 away. With n responses the half width is
# t(n − 1) × 6 / √n: n = 38 gives 2.0262 × 0.97333 = 1.972 (too wide), n = 39 gives 2.0244 × 0.96077 = 1.945
# (fits), so 39 − 25 = 14 more responses would settle it.
ACROSS_80 = ResultFigures(Decimal("78.0"), ConfidenceInterval(78.0, 6.0, 25, 75.52, 80.48))
# 85.0 ± 1.0 lies inside [80, 90): 三星级, settled.
INSIDE_3_STAR = ResultFigures(Decimal("85.0"), ConfidenceInterval(85.0, 5.0, 100, 84.0, 86.0))


def test_an_interval_across_a_grade_line_is_provisional_and_says_how_many_more_would_settle_it():
    assert standing(SPEC, ACROSS_80) is Standing.PROVISIONAL
    assert more_to_settle(SPEC, ACROSS_80) == 14
    assert result_lines(SPEC, ACROSS_80, "en") == [
        "Service score: 78.0 (no grade reached)",
        "95% confidence interval: 75.5–80.5",
        "Provisional: the interval crosses the line of 3-star (80 points), so the grade may still change. "
        "About 14 more responses would settle it."]
    assert result_headline(SPEC, ACROSS_80, "en") == "Service score 78.0: no grade reached, provisional"
    zh = "\n".join(result_lines(SPEC, ACROSS_80, "zh"))
    assert "暂定" in zh and "三星级（80分）" in zh and "14 份答卷" in zh


def test_an_interval_inside_one_band_is_settled():
    assert standing(SPEC, INSIDE_3_STAR) is Standing.SETTLED
    assert more_to_settle(SPEC, INSIDE_3_STAR) is None
    assert result_lines(SPEC, INSIDE_3_STAR, "en")[2] == (
        "Settled: the whole interval lies in 3-star, so more responses would hardly change the grade.")
    assert result_headline(SPEC, INSIDE_3_STAR, "zh") == "服务特性测评得分 85.0：三星级，已确定"


def test_bands_without_a_grade_are_named_by_their_points():
    below_60 = ResultFigures(Decimal("50.0"), ConfidenceInterval(50.0, 6.0, 25, 45.5, 54.4))
    between = ResultFigures(Decimal("70.0"), ConfidenceInterval(70.0, 2.0, 25, 69.0, 71.0))
    assert "the range below 60 points" in result_lines(SPEC, below_60, "en")[2]
    assert "the range 60–80 points" in result_lines(SPEC, between, "en")[2]


def test_a_score_right_on_a_line_is_provisional_without_a_number():
    # Mean 79.95 is the 80 line's edge itself: no number of responses fits the interval into one band.
    on_line = ResultFigures(Decimal("80.0"), ConfidenceInterval(79.95, 6.0, 25, 77.5, 82.4))
    assert more_to_settle(SPEC, on_line) is None
    assert "sits right on the line of 3-star (80 points)" in result_lines(SPEC, on_line, "en")[2]


def test_one_response_is_provisional_for_want_of_an_interval():
    one = ResultFigures(Decimal("70.0"), None)
    assert standing(SPEC, one) is Standing.PROVISIONAL
    assert "At least one more response" in result_lines(SPEC, one, "en")[1]


def test_management_capping_a_higher_service_grade_is_said():
    # Service 96.0 reaches 五星级 (≥ 95) but management level 三级 allows at most 三星级 (§5.3).
    capped = ResultFigures(Decimal("96.0"), ConfidenceInterval(96.0, 2.0, 100, 95.6, 96.4),
                           certify(SPEC, Decimal("96.0"), 3))
    lines = result_lines(SPEC, capped, "zh")
    assert lines[3] == "认证结果：三星级（已确定）"
    assert lines[4] == "服务特性测评得分 96.0 达到五星级，管理等级三级将认证结果限制为三星级。"
    assert result_headline(SPEC, capped, "en") == "Certification result: 3-star, settled"


def test_a_provisional_service_score_makes_the_certification_provisional_too():
    figures = ResultFigures(ACROSS_80.service_score, ACROSS_80.interval, certify(SPEC, Decimal("78.0"), 3))
    assert "Certification result: certified without a grade (provisional)" in result_lines(SPEC, figures, "en")


def test_an_undetermined_score_names_the_unrated_items():
    figures = ResultFigures(None, None, unrated=("1.1", "2.3"), responses_to_determine=1)
    assert standing(SPEC, figures) is Standing.UNDETERMINED
    lines = result_lines(SPEC, figures, "en")
    assert "1.1, 2.3" in lines[0] and "At least 1 more" in lines[1]
    assert "undetermined" in result_headline(SPEC, figures, "en")


def test_the_certification_waits_for_every_requirement_and_a_determined_score():
    levels = {requirement.code: 3 for requirement in SPEC.requirements}
    assert rated_certification(SPEC, None, levels) is None
    assert rated_certification(SPEC, Decimal("96.0"), dict(list(levels.items())[1:])) is None
    # every requirement at level 3: total = Σ weight × 3 / 5 = 145 × 0.6 = 87 → 三级 [70, 95)
    result = rated_certification(SPEC, Decimal("96.0"), levels)
    assert result.management_level == 3 and result.grade.zh == "三星级" and result.capped_by_management
