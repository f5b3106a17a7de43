"""The /newsurvey dialogue as a pure state machine: steps, typed input, past dates, cancel, stale buttons."""

from __future__ import annotations

import datetime as dt

from conversations import new_survey
from conversations.new_survey import Context, NewSurveyState, Outcome, SurveyRequest
from specs import load_catalog

TODAY = dt.date(2026, 5, 10)
CONTEXT = Context(specs=list(load_catalog()), today=TODAY, timezone="Asia/Shanghai")


def tap(outcome: Outcome, action: str) -> Outcome:
    assert outcome.state is not None
    return new_survey.handle_action(outcome.state, CONTEXT, outcome.screen.position, action)


def typed(outcome: Outcome, text: str) -> Outcome:
    assert outcome.state is not None
    return new_survey.handle_text(outcome.state, CONTEXT, text)


def at_organization() -> Outcome:
    return tap(new_survey.start("en", "abc123", CONTEXT), "s:TBSC120")


def test_spec_buttons_name_the_service_in_the_lead_language():
    zh = new_survey.start("zh", "s1", CONTEXT).screen
    en = new_survey.start("en", "s1", CONTEXT).screen
    assert "TBSC120 · 智慧城市管家服务" in [b.text for b in zh.flat_buttons]
    assert "TBSC120 · Smart City Steward Service" in [b.text for b in en.flat_buttons]


def test_the_whole_dialogue_asks_for_creation_of_what_was_chosen():
    outcome = typed(at_organization(), "  南昌  城管局 ")
    assert outcome.state.organization == "南昌 城管局" and outcome.state.step == "target"
    outcome = tap(outcome, "t:100")
    outcome = tap(outcome, "c:14")
    assert outcome.state.closes_on == dt.date(2026, 5, 24)
    assert "南昌 城管局" in outcome.screen.text and "100 responses" in outcome.screen.text
    done = tap(outcome, "create")
    assert done.state is None
    assert done.create == SurveyRequest("TBSC120", "南昌 城管局", 100, dt.date(2026, 5, 24))


def test_organization_must_be_2_to_100_characters():
    short = typed(at_organization(), "A")
    assert short.invalid and short.state.step == "org" and "2 to 100 characters" in short.screen.text
    long = typed(at_organization(), "x" * 101)
    assert long.invalid and "(yours has 101)" in long.screen.text
    assert typed(at_organization(), "AB").state.step == "target"


def test_target_by_button_typed_number_or_none():
    at_target = typed(at_organization(), "Org")
    assert tap(at_target, "t:0").state.target is None
    assert typed(at_target, "７５").state.target == 75  # full-width digits from a Chinese keyboard
    for bad in ("0", "-5", "lots", "100001"):
        refused = typed(at_target, bad)
        assert refused.invalid and refused.state.step == "target"


def test_closing_date_typed_today_or_later_past_refused():
    at_closing = tap(typed(at_organization(), "Org"), "t:30")
    assert typed(at_closing, "2026-05-10").state.closes_on == TODAY
    assert typed(at_closing, "2026/6/1").state.closes_on == dt.date(2026, 6, 1)
    past = typed(at_closing, "2026-05-09")
    assert past.invalid and past.state.step == "closing" and "in the past" in past.screen.text
    assert typed(at_closing, "2026-02-30").invalid
    assert tap(at_closing, "c:0").state.closes_on is None
    assert tap(at_closing, "c:3").invalid  # not a choice the screen offers


def test_back_returns_step_by_step_and_keeps_choices():
    confirm = tap(tap(typed(at_organization(), "Org"), "t:50"), "c:7")
    back = tap(confirm, "back")
    assert back.state.step == "closing" and back.state.target == 50
    assert tap(tap(back, "back"), "back").state.step == "org"


def test_cancel_ends_the_dialogue_without_creating():
    cancelled = tap(at_organization(), "cancel")
    assert cancelled.state is None and cancelled.create is None and "cancelled" in cancelled.screen.text
    assert new_survey.cancel(at_organization().state).state is None


def test_a_stale_button_changes_nothing():
    at_target = typed(at_organization(), "Org")
    stale = new_survey.handle_action(at_target.state, CONTEXT, "abc123.spec", "s:TBSC120")
    assert stale.stale and stale.state == at_target.state and stale.create is None
    earlier_dialogue = new_survey.handle_action(at_target.state, CONTEXT, "zzz999.target", "t:30")
    assert earlier_dialogue.stale and earlier_dialogue.state.target is None


def test_state_survives_a_round_trip_through_json():
    state = tap(tap(typed(at_organization(), "南昌"), "t:200"), "c:28").state
    assert NewSurveyState.from_json(state.to_json()) == state
