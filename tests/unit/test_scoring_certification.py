"""The §5.3 table: the highest row whose service and management conditions both hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.certification import certify
from scoring.explain import explain_certification
from specs import load_catalog

CATALOG = load_catalog()
SPEC = CATALOG.get("TBSC120")


def zh(text):
    return text.zh if text is not None else None


@pytest.mark.parametrize(("service", "level", "grade", "certified"), [
    ("100.0", 5, "五星级", True),
    ("95.0", 4, "五星级", True),        # row 1: ≥ 95 and ≥ 四级
    ("94.9", 5, "四星级", True),        # row 2: ≥ 90 and ≥ 四级
    ("90.0", 4, "四星级", True),
    ("89.9", 5, "三星级", True),        # row 3: ≥ 80 and ≥ 三级
    ("80.0", 3, "三星级", True),
    ("79.9", 5, None, True),            # row 4: ≥ 60 and ≥ 二级, no grade
    ("60.0", 2, None, True),
    ("59.9", 5, None, False),           # below 60: not certified whatever the management
    ("100.0", 1, None, False),          # management 一级: not certified whatever the service
    ("100.0", None, None, False),       # management total below 一级
])
def test_every_row_of_the_table(service, level, grade, certified):
    result = certify(SPEC, Decimal(service), level)
    assert (zh(result.grade), result.certified) == (grade, certified)


@pytest.mark.parametrize(("service", "level", "result_grade", "service_grade"), [
    ("96.0", 3, "三星级", "五星级"),     # three-star row is the highest both conditions allow
    ("92.0", 3, "三星级", "四星级"),
    ("96.0", 2, None, "五星级"),        # certified, but without a grade
    ("85.0", 2, None, "三星级"),
])
def test_management_caps_a_higher_service_grade(service, level, result_grade, service_grade):
    result = certify(SPEC, Decimal(service), level)
    assert result.certified
    assert zh(result.grade) == result_grade
    assert zh(result.service_grade) == service_grade
    assert result.capped_by_management


@pytest.mark.parametrize(("service", "level"), [("96.0", 4), ("96.0", 5), ("85.0", 3), ("70.0", 2),
                                                ("70.0", 1), ("50.0", 5)])
def test_not_capped_when_management_allows_the_service_grade_or_there_is_none(service, level):
    assert not certify(SPEC, Decimal(service), level).capped_by_management


def test_explanation_names_both_the_service_grade_and_the_limiting_level():
    result = certify(SPEC, Decimal("96.0"), 3)
    assert explain_certification(SPEC, result, "zh") == (
        "服务特性测评得分 96.0 达到五星级，管理等级三级将认证结果限制为三星级。")
    assert explain_certification(SPEC, result, "en") == (
        "Service score 96.0 reaches 5-star; the management level (Level 3) limits the result to 3-star.")


@pytest.mark.parametrize(("service", "level", "words"), [
    ("96.0", 5, ["96.0", "五级", "五星级"]),
    ("70.0", 3, ["70.0", "三级", "通过认证，不评等级"]),
    ("59.9", 5, ["59.9", "低于 60 分", "不予认证"]),
    ("70.0", 1, ["一级", "低于二级", "不予认证"]),
    ("70.0", None, ["低于一级", "不予认证"]),
    ("96.0", 1, ["达到五星级", "一级低于二级", "不予认证"]),
    ("96.0", 2, ["达到五星级", "通过认证、不评等级"]),
])
def test_every_outcome_is_explained_in_chinese(service, level, words):
    text = explain_certification(SPEC, certify(SPEC, Decimal(service), level), "zh")
    for word in words:
        assert word in text


@pytest.mark.parametrize("spec_id", ["TBSC134", "TBSC94"])
def test_specs_that_grade_in_a_levels(spec_id):
    spec = CATALOG.get(spec_id)
    if spec is None:
        pytest.skip(f"{spec_id} spec file is not there yet")
    assert zh(certify(spec, Decimal("95.0"), 4).grade) == "AAAAA级"
    assert zh(certify(spec, Decimal("90.0"), 4).grade) == "AAAA级"
    assert zh(certify(spec, Decimal("80.0"), 3).grade) == "AAA级"
    capped = certify(spec, Decimal("96.0"), 3)
    assert (zh(capped.grade), capped.capped_by_management) == ("AAA级", True)
    assert "AAAAA级" in explain_certification(spec, capped, "zh")
