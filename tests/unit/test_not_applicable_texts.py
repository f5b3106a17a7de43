"""Texts that must not mistake an undetermined service score (an item nobody rated, every answer to it
"not applicable") for "nobody has submitted"."""

from __future__ import annotations

from conversations.digest_text import DigestFigures, digest_text


def test_the_digest_says_when_the_score_is_undetermined_by_not_applicable_answers():
    figures = DigestFigures(organization="Org", submitted_last_day=2, submitted=2, started=0, target=None,
                            score=None, grade=None)
    text = digest_text("en", figures)
    assert "No score yet: some item has no rating so far" in text and "nobody has submitted" not in text
    nobody = DigestFigures(organization="Org", submitted_last_day=0, submitted=0, started=1, target=None,
                           score=None, grade=None)
    assert "No score yet: nobody has submitted." in digest_text("en", nobody)
