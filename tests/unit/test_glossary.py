"""The glossary a lead reads in /help (and the workbook's glossary sheet): every term, in plain words,
in Chinese and in English."""

from __future__ import annotations

import re

import pytest

from conversations.glossary import glossary
from conversations.lead_help import lead_help_text

TERMS = {
    "en": ["Customer experience coefficient (α)", "Item score", "Characteristic score", "Service score",
           "95% confidence interval", "Provisional / settled", "Management total and management level",
           "Certification result"],
    "zh": ["体验系数（α）", "测评项得分", "服务特性得分", "服务特性测评得分", "95% 置信区间", "暂定 / 已确定",
           "管理成熟度总分和管理等级", "认证结果"],
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_term_has_a_plain_explanation_in_the_language(language: str) -> None:
    entries = glossary(language)
    assert [term for term, _ in entries] == TERMS[language]
    for term, explanation in entries:
        assert len(explanation) > 20, term
    if language == "zh":  # translated, not the English text
        assert all(not re.search(r"[A-Za-z]{4,}", explanation.replace("maturity", "")) for _, explanation in entries)


def test_the_coefficient_is_explained_with_its_values_and_the_item_score_with_an_example() -> None:
    explained = dict(glossary("zh"))
    assert "0.2" in explained["体验系数（α）"] and "1.0" in explained["体验系数（α）"]
    assert "4.8" in explained["测评项得分"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_lead_help_ends_with_the_glossary(language: str) -> None:
    text = lead_help_text(language, [("summary", "…")])
    assert text.index("/summary") < text.index(TERMS[language][0])
    for term, explanation in glossary(language):
        assert f"• {term}: {explanation}" in text
    assert len(text) < 4096  # one Telegram message
