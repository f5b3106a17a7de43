"""The customer's survey dialogue, driven the way a shell drives it: taps, texts and commands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conversations.respondent import (
    Outcome,
    RespondentState,
    Screen,
    SurveyInfo,
    current_screen,
    handle_action,
    handle_command,
    handle_text,
    new_state,
    resume,
    start,
)
from conversations.screens import MAX_ACTION_LENGTH
from specs import Spec
from specs.loader import BUNDLED_DIR, load_spec_file

ORGANIZATION = "Harbour Facilities Ltd."


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec_file(BUNDLED_DIR / "tbsc120.yaml")


@pytest.fixture(scope="module")
def survey(spec: Spec) -> SurveyInfo:
    return SurveyInfo(organization=ORGANIZATION, spec=spec)


def tap(survey: SurveyInfo, outcome: Outcome, text: str) -> Outcome:
    """Tap the button whose label contains `text` on the screen the outcome shows."""
    matches = [b for b in outcome.screen.flat_buttons if text in b.text]
    assert len(matches) == 1, f"{text!r} matches {[b.text for b in outcome.screen.flat_buttons]}"
    return handle_action(survey, outcome.state, outcome.screen.position, matches[0].action)


def showing(survey: SurveyInfo, state: RespondentState) -> Outcome:
    """The respondent looking at the screen of `state`'s position."""
    return Outcome(state, current_screen(survey, state))


def press(survey: SurveyInfo, outcome: Outcome, action: str) -> Outcome:
    """Tap the button carrying `action` on the screen the outcome shows."""
    assert action in [b.action for b in outcome.screen.flat_buttons]
    return handle_action(survey, outcome.state, outcome.screen.position, action)


def answered_state(spec: Spec, language: str = "en", rating: int = 4, **changes: object) -> RespondentState:
    state = RespondentState(language=language, answers={item.code: rating for item in spec.items})
    return replace(state, **changes)


def test_a_customer_answers_all_19_questions_and_submits(survey: SurveyInfo, spec: Spec) -> None:
    outcome = start(survey, new_state("en"))
    assert ORGANIZATION in outcome.screen.text and "19 questions" in outcome.screen.text
    assert "anonymous" in outcome.screen.text
    outcome = tap(survey, outcome, "Start")
    saved = []
    for number in range(1, len(spec.items) + 1):
        assert outcome.state.position == f"q:{number - 1}"
        assert outcome.screen.text.startswith(f"{number}/19 ")
        assert outcome.screen.edit
        outcome = press(survey, outcome, f"r:{number % 5 + 1}")
        saved.append(outcome.saved)
    assert saved == [(item.code, n % 5 + 1) for n, item in enumerate(spec.items, start=1)]
    assert outcome.state.position == "review"
    assert "1. Functionality · Personnel — 2 Below expectations" in outcome.screen.text
    outcome = tap(survey, outcome, "Submit")
    assert outcome.submitted and outcome.changed and outcome.state.submitted
    assert "Thank you! Your answers have been submitted." in outcome.screen.text


def test_the_question_screen_shows_progress_dimension_and_the_spec_scale(survey: SurveyInfo) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    for _ in range(6):
        outcome = press(survey, outcome, "r:3")
    lines = outcome.screen.text.splitlines()
    assert lines[0] == "7/19 ▰▰▰▰▱▱▱▱▱▱"
    assert lines[1] == "Timeliness · Personnel"
    assert [b.text for b in outcome.screen.flat_buttons] == [
        "1 Far below expectations", "2 Below expectations", "3 Meets expectations",
        "4 Above expectations", "5 Far above expectations", "Not applicable / did not experience it", "« Back"]


def test_back_from_the_first_question_returns_to_the_welcome(survey: SurveyInfo) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    outcome = tap(survey, outcome, "Back")
    assert outcome.state.position == "welcome"
    assert ORGANIZATION in outcome.screen.text


def test_back_shows_the_previous_answer_marked(survey: SurveyInfo) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    outcome = press(survey, outcome, "r:2")
    outcome = tap(survey, outcome, "Back")
    assert outcome.state.position == "q:0"
    assert "✓ 2 Below expectations" in [b.text for b in outcome.screen.flat_buttons]


@pytest.mark.parametrize("typed", ["4", " 4 ", "４"])
def test_a_typed_digit_answers_the_current_question(survey: SurveyInfo, spec: Spec, typed: str) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    outcome = handle_text(survey, outcome.state, typed)
    assert outcome.saved == (spec.items[0].code, 4)
    assert outcome.state.answers == {spec.items[0].code: 4}
    assert outcome.state.position == "q:1"
    assert not outcome.screen.edit


@pytest.mark.parametrize("typed", ["6", "00", "great", "", "45", "n a"])
def test_other_text_gives_a_hint_and_changes_nothing(survey: SurveyInfo, typed: str) -> None:
    before = tap(survey, start(survey, new_state("en")), "Start").state
    outcome = handle_text(survey, before, typed)
    assert outcome.state == before and not outcome.changed and outcome.saved is None
    assert outcome.screen.text.startswith("Please tap one of the buttons, or type a number 1–5.")
    assert outcome.screen.text.endswith(current_screen(survey, before).text)


def test_changing_an_answer_from_the_review_returns_to_the_review(survey: SurveyInfo, spec: Spec) -> None:
    review = resume(survey, answered_state(spec))
    outcome = press(survey, review, "go:3")  # the button "4", item 2.1
    assert outcome.state.position == "q:3"
    assert "« Back to review" in [b.text for b in outcome.screen.flat_buttons]
    assert "✓ 4 Above expectations" in [b.text for b in outcome.screen.flat_buttons]
    outcome = press(survey, outcome, "r:1")
    assert outcome.state.position == "review"
    assert outcome.state.answers["2.1"] == 1 and outcome.saved == ("2.1", 1)
    assert "4. Safety · Personnel — 1 Far below expectations" in outcome.screen.text


def test_a_change_from_the_review_returns_there_even_with_gaps(survey: SurveyInfo, spec: Spec) -> None:
    state = answered_state(spec, position="review")
    state = replace(state, answers={k: v for k, v in state.answers.items() if k != "5.1"})
    outcome = press(survey, press(survey, showing(survey, state), "go:0"), "r:2")
    assert outcome.state.position == "review" and outcome.state.answers["1.1"] == 2


def test_back_to_review_leaves_the_answer_unchanged(survey: SurveyInfo, spec: Spec) -> None:
    outcome = press(survey, resume(survey, answered_state(spec)), "go:7")  # the button "8", item 3.2
    outcome = tap(survey, outcome, "Back to review")
    assert outcome.state.position == "review" and outcome.state.answers["3.2"] == 4


def test_a_comment_is_saved_and_shown_in_the_review(survey: SurveyInfo, spec: Spec) -> None:
    outcome = tap(survey, resume(survey, answered_state(spec)), "Add a comment")
    assert outcome.state.position == "comment"
    outcome = handle_text(survey, outcome.state, "  The hotline was slow.  ")
    assert outcome.comment_saved and outcome.state.comment == "The hotline was slow."
    assert outcome.state.position == "review"
    assert "Comment: The hotline was slow." in outcome.screen.text


def test_a_comment_over_1000_characters_is_refused(survey: SurveyInfo, spec: Spec) -> None:
    at_comment = answered_state(spec, position="comment")
    outcome = handle_text(survey, at_comment, "x" * 1001)
    assert not outcome.comment_saved and outcome.state == at_comment
    assert "1,001 characters; the limit is 1,000" in outcome.screen.text
    assert outcome.returned == "x" * 1001
    assert handle_text(survey, at_comment, "x" * 1000).comment_saved


def test_skip_leaves_the_comment_out(survey: SurveyInfo, spec: Spec) -> None:
    outcome = tap(survey, showing(survey, answered_state(spec, position="comment")), "Skip")
    assert outcome.state.position == "review" and outcome.state.comment is None


def test_submit_with_an_unanswered_item_goes_to_that_item(survey: SurveyInfo, spec: Spec) -> None:
    state = answered_state(spec, position="review")
    state = replace(state, answers={k: v for k, v in state.answers.items() if k != "4.2"})
    outcome = handle_action(survey, state, "review", "submit")
    assert not outcome.submitted and not outcome.state.submitted
    assert outcome.state.position == "q:10"
    assert "Question 11 is not answered yet" in outcome.screen.text
    outcome = press(survey, outcome, "r:5")
    assert outcome.state.position == "review"
    assert press(survey, outcome, "submit").submitted


def test_a_double_tap_stores_the_answer_once(survey: SurveyInfo) -> None:
    at_first = tap(survey, start(survey, new_state("en")), "Start")
    first = handle_action(survey, at_first.state, "q:0", "r:4")
    second = handle_action(survey, first.state, "q:0", "r:4")
    assert first.saved == ("1.1", 4)
    assert second.saved is None and not second.changed and second.stale
    assert second.state == first.state
    assert second.screen.text.startswith("That button is from an older screen.")


def test_a_button_from_an_older_screen_changes_nothing(survey: SurveyInfo, spec: Spec) -> None:
    state = answered_state(spec, position="review")
    outcome = handle_action(survey, state, "q:2", "r:1")
    assert outcome.stale and not outcome.changed and outcome.state.answers["1.3"] == 4
    assert outcome.screen.position == "review"


@pytest.mark.parametrize("action", ["r:9", "r:0", "go:99", "go:-1", "xyz", "a" * 200, "", "r:", "start:x",
                                    "lang:fr", "submit", "R:4", "r:４"])
def test_forged_actions_are_invalid_and_change_nothing(survey: SurveyInfo, action: str) -> None:
    at_question = tap(survey, start(survey, new_state("en")), "Start").state
    outcome = handle_action(survey, at_question, "q:0", action)
    assert outcome.invalid and not outcome.changed and outcome.state == at_question
    assert outcome.screen == current_screen(survey, at_question)


def test_every_button_action_fits_telegram_callback_data(survey: SurveyInfo, spec: Spec) -> None:
    states = [new_state("zh"), answered_state(spec, position="review"),
              answered_state(spec, position="q:18", reviewing=True), answered_state(spec, position="comment"),
              answered_state(spec, position="paused"), answered_state(spec, submitted=True, position="done")]
    for state in states:
        for button in current_screen(survey, state).flat_buttons:
            assert 0 < len(button.action.encode()) <= MAX_ACTION_LENGTH


def test_language_switch_rerenders_the_welcome(survey: SurveyInfo) -> None:
    outcome = start(survey, new_state("zh"))
    assert "智慧城市管家服务" in outcome.screen.text
    outcome = tap(survey, outcome, "English")
    assert outcome.state.language == "en" and outcome.changed
    assert "Smart City Steward Service" in outcome.screen.text
    assert "This survey is part of a service certification audit" in outcome.screen.text
    assert "✓ English" in [b.text for b in outcome.screen.flat_buttons]


def test_language_command_offers_the_choice_and_keeps_the_question(survey: SurveyInfo) -> None:
    at_question = press(survey, tap(survey, start(survey, new_state("en")), "Start"), "r:5")
    choice = handle_command(survey, at_question.state, "/language")
    assert not choice.changed and choice.screen.position == "q:1"
    outcome = tap(survey, choice, "中文")
    assert outcome.state.language == "zh" and outcome.state.position == "q:1"
    assert "设备设施" in outcome.screen.text


def test_resume_continues_at_the_first_unanswered_question(survey: SurveyInfo, spec: Spec) -> None:
    answers = {item.code: 3 for item in spec.items[:7]}
    outcome = resume(survey, RespondentState(language="en", position="welcome", answers=answers))
    assert outcome.state.position == "q:7"
    assert outcome.screen.text.startswith("Welcome back — 7 of 19 answered.")
    assert not outcome.screen.edit


def test_welcome_offers_to_continue_with_the_count(survey: SurveyInfo, spec: Spec) -> None:
    state = RespondentState(language="en", answers={spec.items[0].code: 5, spec.items[1].code: 1})
    assert "▶ Continue (2 of 19 answered)" in [b.text for b in current_screen(survey, state).flat_buttons]


def test_cancel_pauses_and_any_message_continues(survey: SurveyInfo, spec: Spec) -> None:
    state = RespondentState(language="en", position="q:2", answers={"1.1": 4, "1.2": 4})
    paused = handle_command(survey, state, "cancel")
    assert paused.state.position == "paused" and paused.state.answers == state.answers
    assert "Paused. Your answers are kept (2 of 19 answered)." in paused.screen.text
    back = handle_text(survey, paused.state, "hello")
    assert back.state.position == "q:2" and back.saved is None
    assert back.screen.text.startswith("Welcome back — 2 of 19 answered.")


def test_help_explains_the_step_and_repeats_the_screen(survey: SurveyInfo, spec: Spec) -> None:
    state = answered_state(spec, position="review")
    outcome = handle_command(survey, state, "help")
    assert "tap a question number to change its answer" in outcome.screen.text
    assert outcome.screen.text.endswith(current_screen(survey, state).text)
    assert not outcome.changed


def test_after_submit_everything_is_locked(survey: SurveyInfo, spec: Spec) -> None:
    done = press(survey, resume(survey, answered_state(spec)), "submit").state
    events: list[Outcome] = [
        handle_action(survey, done, "q:0", "r:1"),
        handle_action(survey, done, "review", "go:0"),
        handle_text(survey, done, "1"),
        handle_command(survey, done, "cancel"),
        start(survey, done),
    ]
    for outcome in events:
        assert outcome.state == done and not outcome.changed and outcome.saved is None
        assert "already submitted" in outcome.screen.text


def test_a_second_tap_on_submit_leaves_the_thanks_as_they_are(survey: SurveyInfo, spec: Spec) -> None:
    submitted = press(survey, resume(survey, answered_state(spec)), "submit")
    again = handle_action(survey, submitted.state, "review", "submit")
    assert again.screen == submitted.screen  # the same message: Telegram's edit is a no-op
    assert not again.changed and not again.submitted and again.saved is None


def test_after_submit_the_answers_can_be_read(survey: SurveyInfo, spec: Spec) -> None:
    done = press(survey, resume(survey, answered_state(spec, comment="Fine.")), "submit")
    listing = tap(survey, done, "Show my answers")
    assert not listing.changed
    assert "19. Service Specification · Service specification — 4 Above expectations" in listing.screen.text
    assert "Comment: Fine." in listing.screen.text
    assert all(b.action in ("done",) for b in listing.screen.flat_buttons)
    assert "already submitted" in tap(survey, listing, "Back").screen.text


def test_chinese_customers_read_chinese(survey: SurveyInfo, spec: Spec) -> None:
    welcome = start(survey, new_state("zh-hans"))
    assert "服务认证审核" in welcome.screen.text and "19 道题" in welcome.screen.text
    question = tap(survey, welcome, "开始")
    assert "功能性 · 人员" in question.screen.text
    assert "1 远低于预期" in [b.text for b in question.screen.flat_buttons]
    review = resume(survey, answered_state(spec, language="zh"))
    assert "1. 功能性 · 人员 — 4 高于预期" in review.screen.text
    assert "✅ 提交" in [b.text for b in review.screen.flat_buttons]


def test_screens_are_plain_text(survey: SurveyInfo, spec: Spec) -> None:
    screens: list[Screen] = [current_screen(survey, new_state("en")),
                             current_screen(survey, answered_state(spec, position="review"))]
    for screen in screens:
        assert "<b>" not in screen.text and "**" not in screen.text


# --- "not applicable" (不适用 / 没有经历) ---

def test_the_sixth_button_answers_not_applicable_and_the_review_shows_na(survey: SurveyInfo, spec: Spec) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    outcome = tap(survey, outcome, "Not applicable")
    assert outcome.saved == ("1.1", None) and outcome.state.answers == {"1.1": None}
    assert outcome.state.position == "q:1"
    back = tap(survey, outcome, "Back")
    labels = [b.text for b in back.screen.flat_buttons]
    assert "✓ Not applicable / did not experience it" in labels
    assert not any(label.startswith("✓ ") for label in labels[:5])  # None is not a rating
    outcome = tap(survey, back, "Not applicable")  # the same answer again: on to 1.2
    for _ in range(len(spec.items) - 1):
        outcome = press(survey, outcome, "r:4")
    review = outcome
    assert review.state.position == "review"
    assert "1. Functionality · Personnel — N/A (not applicable)" in review.screen.text
    assert "2. Functionality · Equipment and facilities — 4 Above expectations" in review.screen.text
    assert "(19 of 19 answered)" in review.screen.text
    done = tap(survey, review, "Submit")
    assert done.submitted and done.state.answers["1.1"] is None


@pytest.mark.parametrize("typed", ["0", "NA", "na", " N/A ", "Ｎ／Ａ", "０", "不适用"])
def test_typing_0_or_na_answers_not_applicable(survey: SurveyInfo, spec: Spec, typed: str) -> None:
    outcome = tap(survey, start(survey, new_state("en")), "Start")
    outcome = handle_text(survey, outcome.state, typed)
    assert outcome.saved == (spec.items[0].code, None)
    assert outcome.state.position == "q:1" and not outcome.screen.edit


def test_a_not_applicable_answer_can_be_changed_to_a_rating_and_back(survey: SurveyInfo, spec: Spec) -> None:
    review = resume(survey, answered_state(spec))
    changed = tap(survey, press(survey, review, "go:3"), "Not applicable")
    assert changed.state.position == "review" and changed.saved == ("2.1", None)
    assert "4. Safety · Personnel — N/A (not applicable)" in changed.screen.text
    rated = press(survey, press(survey, changed, "go:3"), "r:2")
    assert rated.saved == ("2.1", 2) and rated.state.answers["2.1"] == 2


def test_na_in_chinese_and_every_na_answer_is_a_valid_state(survey: SurveyInfo, spec: Spec) -> None:
    question = tap(survey, start(survey, new_state("zh")), "开始")
    assert "不适用 / 没有经历" in [b.text for b in question.screen.flat_buttons]
    all_na = answered_state(spec, language="zh", rating=None, position="review")
    review = current_screen(survey, all_na)
    assert "1. 功能性 · 人员 — 不适用" in review.text
    assert press(survey, Outcome(all_na, review), "submit").submitted


def test_help_at_a_question_mentions_not_applicable(survey: SurveyInfo) -> None:
    at_question = tap(survey, start(survey, new_state("en")), "Start").state
    text = handle_command(survey, at_question, "help").screen.text
    assert "Not applicable / did not experience it" in text and "type 0" in text
