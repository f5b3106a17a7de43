"""`surveybot try`: the respondent dialogue in a terminal, fed through stdin."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app
from conversations.respondent import RespondentState, SurveyInfo, current_screen
from specs import load_catalog

runner = CliRunner()


def submit_button_number() -> int:
    """The number `surveybot try` prints before the review screen's Submit button."""
    spec = load_catalog().get("TBSC120")
    assert spec is not None
    review = RespondentState(language="en", position="review", answers={i.code: 5 for i in spec.items})
    actions = [b.action for b in current_screen(SurveyInfo("x", spec), review).flat_buttons]
    return actions.index("submit") + 1


def test_try_walks_the_survey_to_the_thanks() -> None:
    start, switch_to_english, rate_five = "3", "2", "5"
    lines = [switch_to_english, start, "hello", *[rate_five] * 19, str(submit_button_number())]
    result = runner.invoke(app, ["try", "--spec", "tbsc120", "--organization", "Harbour Facilities Ltd."],
                           input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Harbour Facilities Ltd." in result.output
    assert "[1] 1 Far below expectations" in result.output
    assert "Please tap one of the buttons, or type a number 1–5." in result.output
    assert "19/19" in result.output
    assert "1. Functionality · Personnel — 5 Far above expectations" in result.output
    assert result.output.rstrip().endswith("[1] Show my answers")
    assert "Thank you! Your answers have been submitted." in result.output


def test_try_in_chinese_stops_at_end_of_input() -> None:
    result = runner.invoke(app, ["try", "--spec", "TBSC120"], input="3\n4\n")
    assert result.exit_code == 0, result.output
    assert "2/19" in result.output and "1 远低于预期" in result.output
    assert "谢谢" not in result.output


def test_try_quits_on_q() -> None:
    result = runner.invoke(app, ["try", "--spec", "TBSC120", "--lang", "en"], input="q\n3\n")
    assert result.exit_code == 0
    assert "1/19" not in result.output


def test_try_refuses_an_unknown_spec() -> None:
    result = runner.invoke(app, ["try", "--spec", "NOPE1"])
    assert result.exit_code == 2
    assert "Unknown spec 'NOPE1'" in result.output
    assert "TBSC120" in result.output
