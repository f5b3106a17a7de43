"""Customer questions ask about expectations, in each spec's own service, and imports mark theirs for review.

Customers answer every Appendix 1 item on the five-point expectation scale (远低于预期 … 远高于预期), so
a question must be one that scale answers: not yes/no shaped (no 能否/是否/有没有/是不是/可否, no English
question opening with Did/Is/Was/…), naming the expectation (预期 or 期望; "expect"). The five bundled
specs share the certification body's template, but each question is about the customer's own service
(complaints, city stewards, …): no two specs ask the same text for the same item. The importer drafts
its questions from the statements and lists every item for a person to review.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from specs import Spec, load_catalog
from specs.importer import import_spec
from specs.importer.questions import draft_question
from specs.model import TODO_TRANSLATE

SPEC_IDS = ("TBSC120", "TBSC97", "TBSC55", "TBSC134", "TBSC94")
ITEM_CODES = [f"{c}.{n}" for c in range(1, 7) for n in range(1, 4)] + ["7"]
YES_NO_ZH = re.compile(r"能否|是否|有没有|是不是|可否")
YES_NO_EN = re.compile(r"^(Did|Does|Do|Is|Are|Can|Could|Was|Were|Has|Have|Will|Would)\b", re.IGNORECASE)
SEED = Path(__file__).parents[1] / "data" / "importer" / "customer-complaint_TBSC97.txt"
STATEMENT_1_1 = "客户投诉服务人员必须具备准确、完整地履行其岗位核心职责的能力。"
DRAFT_1_1 = "与您的预期相比，工作人员在准确、完整地履行其岗位核心职责方面做得如何？"
runner = CliRunner()


@pytest.fixture(scope="module")
def specs() -> dict[str, Spec]:
    catalog = load_catalog()
    assert not catalog.refused
    return {spec_id: catalog.get(spec_id) for spec_id in SPEC_IDS}


def questions(specs: dict[str, Spec]) -> list[tuple[str, str, str, str]]:
    """(spec id, item code, Chinese, English) of every question of the bundled specs."""
    return [
        (spec_id, item.code, item.question.zh, item.question.en)
        for spec_id, spec in specs.items()
        for item in spec.items
    ]


def test_every_bundled_spec_has_a_question_for_each_of_the_19_items(specs: dict[str, Spec]) -> None:
    assert len(questions(specs)) == 95
    for spec in specs.values():
        assert [item.code for item in spec.items] == ITEM_CODES, spec.id


def test_no_question_is_yes_no_shaped(specs: dict[str, Spec]) -> None:
    assert [(s, code, zh) for s, code, zh, _ in questions(specs) if YES_NO_ZH.search(zh)] == []
    assert [(s, code, en) for s, code, _, en in questions(specs) if YES_NO_EN.match(en)] == []


def test_every_question_asks_against_the_customers_expectation(specs: dict[str, Spec]) -> None:
    assert [(s, code, zh) for s, code, zh, _ in questions(specs) if not re.search("预期|期望", zh)] == []
    assert [(s, code, en) for s, code, _, en in questions(specs) if "expect" not in en.lower()] == []


def test_questions_are_short_enough_to_read_on_a_phone(specs: dict[str, Spec]) -> None:
    assert [(s, code, zh) for s, code, zh, _ in questions(specs) if len(zh) > 45 or "您" not in zh] == []
    assert [(s, code, en) for s, code, _, en in questions(specs) if len(en) > 140] == []
    assert [(s, code) for s, code, _, en in questions(specs) if en == TODO_TRANSLATE] == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_spec_asks_about_its_own_service(specs: dict[str, Spec], language: str) -> None:
    for code in ITEM_CODES:
        texts = {spec_id: getattr(spec.item(code).question, language) for spec_id, spec in specs.items()}
        shared = {text for text in texts.values() if list(texts.values()).count(text) > 1}
        assert not shared, f"item {code}: {sorted(s for s, t in texts.items() if t in shared)} ask {shared}"


# --- the importer's drafts ------------------------------------------------------------------------


def test_the_importer_drafts_expectation_questions_and_marks_them_for_review() -> None:
    result = import_spec(SEED)

    assert result.ok, result.problems
    assert result.spec is not None
    assert result.questions_to_review == ITEM_CODES
    for item in result.spec.items:
        assert item.question.zh.startswith("与您的预期相比，"), item.code
        assert item.question.zh.endswith("？") and not YES_NO_ZH.search(item.question.zh), item.code
        assert item.question.en == TODO_TRANSLATE, item.code  # no English statement to draft from
    assert result.spec.item("1.1").statement.zh == STATEMENT_1_1
    assert result.spec.item("1.1").question.zh == DRAFT_1_1
    assert f"# questions drafted for review: {', '.join(ITEM_CODES)}\n" in result.yaml_text()


def test_specs_import_prints_the_items_whose_questions_need_review(tmp_path: Path) -> None:
    output = tmp_path / "tbsc97.yaml"

    result = runner.invoke(app, ["specs", "import", str(SEED), "-o", str(output)])

    assert result.exit_code == 0, result.output
    assert f"questions drafted for review: {', '.join(ITEM_CODES)}" in result.stdout
    assert output.exists()


@pytest.mark.parametrize(
    ("statement", "question"),
    [
        (STATEMENT_1_1, DRAFT_1_1),
        (  # a condition before the subject and a means after the modal are skipped
            "在满足功能的前提下，设备设施应通过合理选型，为顾客节约费用。",
            "与您的预期相比，设备设施在为您节约费用方面做得如何？",
        ),
        (  # "when" is not part of the subject; 应对 is not a modal
            "设备设施在运行的全过程内，必须能够有效应对各类风险，保障安全。",
            "与您的预期相比，设备设施在有效应对各类风险方面做得如何？",
        ),
        (  # no modal: the statement keeps its words
            "客户投诉服务人员通过其态度，使顾客感到受尊重。",
            "与您的预期相比，工作人员通过其态度，使您感到受尊重，这一点做得如何？",
        ),
    ],
)
def test_a_draft_names_the_subject_and_what_it_must_achieve(statement: str, question: str) -> None:
    assert draft_question(statement, "客户投诉服务") == question
