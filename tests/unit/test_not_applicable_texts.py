"""The lead's digest and target notice: an undetermined service score (an item nobody rated, every answer
to it "not applicable") is not "nobody has submitted"; a provisional grade says how many more would settle it."""

from __future__ import annotations

from decimal import Decimal

from conversations.digest_text import DigestFigures, digest_text, target_reached_text
from conversations.result_wording import ResultFigures, more_to_settle, result_headline
from scoring.confidence import ConfidenceInterval
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")


def test_the_digest_says_when_the_score_is_undetermined_by_not_applicable_answers():
    undetermined = result_headline(SPEC, ResultFigures(None, None, unrated=("3.2",), responses_to_determine=1), "en")
    figures = DigestFigures(organization="Org", submitted_last_day=2, submitted=2, started=0, target=None,
                            result=undetermined)
    text = digest_text("en", figures)
    assert "Service score undetermined: some items have no rating yet" in text and "nobody has submitted" not in text
    nobody = DigestFigures(organization="Org", submitted_last_day=0, submitted=0, started=1, target=None,
                           result=None)
    assert "No score yet: nobody has submitted." in digest_text("en", nobody)


def test_the_target_notice_says_a_provisional_grade_and_how_many_more_would_settle_it():
    # 78.0 ± 2.5 across the 80 line; 14 more responses would settle it (tests/unit/test_result_wording.py)
    figures = ResultFigures(Decimal("78.0"), ConfidenceInterval(78.0, 6.0, 25, 75.52, 80.48))
    text = target_reached_text("en", "Org", 25, 25, result_headline(SPEC, figures, "en"),
                               more_to_settle(SPEC, figures))
    assert text.splitlines() == [
        "The survey for Org reached its target: 25 responses (target 25).",
        "Service score 78.0: no grade reached, provisional",
        "About 14 more responses would settle the grade: you may keep the survey open for them, "
        "or close it when you are ready."]
    settled = target_reached_text("zh", "Org", 25, 25, "服务特性测评得分 85.0：三星级，已确定", None)
    assert settled.endswith("准备好后即可关闭问卷。")
