"""The respondent's screens, one builder per screen. Each takes the survey, the state and an
optional note (a one-line message shown above the screen, e.g. a hint after unexpected text)."""

from __future__ import annotations

from collections.abc import Callable
from gettext import NullTranslations

from conversations.message_kinds import MessageKind, unreadable_text
from conversations.progress import progress_bar
from conversations.respondent_state import (
    COMMENT,
    DONE,
    PAUSED,
    REVIEW,
    WELCOME,
    RespondentState,
    SurveyInfo,
    answered_count,
    question_index,
)
from conversations.screens import Button, Screen
from locales import LANGUAGES, translator
from scoring.service import NOT_APPLICABLE
from specs.model import TODO_TRANSLATE, Item

CHECK = "✓ "
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
SECONDS_PER_QUESTION = 10
REVIEW_BUTTONS_PER_ROW = 5
COMMENT_MAX_LENGTH = 1000
NOT_APPLICABLE_ACTION = "r:na"

def welcome_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    spec = survey.spec
    total = len(spec.items)
    answered = answered_count(spec, state)
    minutes = max(1, round(total * SECONDS_PER_QUESTION / 60))
    lines = [
        survey.organization,
        spec.service.in_language(state.language),
        "",
        t.gettext("This survey is part of a service certification audit of {organization}.").format(
            organization=survey.organization),
        t.ngettext("It takes about {minutes} minute: {count} questions, one tap each.",
                   "It takes about {minutes} minutes: {count} questions, one tap each.",
                   minutes).format(minutes=minutes, count=total),
        t.gettext("Your answers are anonymous: {organization} sees only the combined results.").format(
            organization=survey.organization),
    ]
    if answered:
        start = t.gettext("▶ Continue ({answered} of {total} answered)").format(
            answered=answered, total=total)
    else:
        start = t.gettext("▶ Start")
    buttons = [_language_row(state.language), [Button(start, "start")]]
    return Screen(_with_note(note, "\n".join(lines)), buttons, WELCOME)


def question_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    spec = survey.spec
    index = question_index(state.position)
    assert index is not None, "question_screen needs a question position"
    item = spec.items[index]
    total = len(spec.items)
    characteristic = spec.characteristic_of(item.code)
    text = "\n".join([
        f"{index + 1}/{total} {progress_bar(index + 1, total)}",
        f"{characteristic.name.in_language(state.language)} · {item.dimension.in_language(state.language)}",
        "",
        question_text(item, state.language),
    ])
    answered = item.code in state.answers
    chosen = state.answers.get(item.code)
    buttons = [
        [Button(f"{CHECK if answered and point.rating == chosen else ''}{point.rating} "
                f"{point.label.in_language(state.language)}", f"r:{point.rating}")]
        for point in spec.scale
    ]
    not_applicable = answered and chosen is NOT_APPLICABLE
    buttons.append([Button(f"{CHECK if not_applicable else ''}{not_applicable_label(state.language)}",
                           NOT_APPLICABLE_ACTION)])
    back = t.gettext("« Back to review") if state.reviewing else t.gettext("« Back")
    buttons.append([Button(back, "back")])
    return Screen(_with_note(note, text), buttons, state.position)


def review_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    spec = survey.spec
    total = len(spec.items)
    lines = [
        t.gettext("Please check your answers ({answered} of {total} answered):").format(
            answered=answered_count(spec, state), total=total),
        "",
        *answer_lines(survey, state),
        *_comment_lines(t, state),
        "",
        t.gettext("Tap a question number to change its answer. When everything is right, tap Submit."),
    ]
    change_buttons = [Button(str(index + 1), f"go:{index}") for index in range(total)]
    rows = [change_buttons[start:start + REVIEW_BUTTONS_PER_ROW]
            for start in range(0, len(change_buttons), REVIEW_BUTTONS_PER_ROW)]
    comment_label = t.gettext("✎ Edit comment") if state.comment else t.gettext("✎ Add a comment")
    rows.append([Button(comment_label, "comment")])
    rows.append([Button(t.gettext("✅ Submit"), "submit")])
    return Screen(_with_note(note, "\n".join(lines)), rows, REVIEW)


def comment_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    lines = [t.gettext("Type your comment and send it as a message (optional, up to {limit} characters).")
             .format(limit=f"{COMMENT_MAX_LENGTH:,}")]
    if state.comment:
        lines += ["", t.gettext("Your comment now:"), state.comment]
        skip = t.gettext("« Keep it and go back")
    else:
        skip = t.gettext("Skip")
    return Screen(_with_note(note, "\n".join(lines)), [[Button(skip, "skip")]], COMMENT)


def paused_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    text = "\n".join([
        t.gettext("Paused. Your answers are kept ({answered} of {total} answered).").format(
            answered=answered_count(survey.spec, state), total=len(survey.spec.items)),
        t.gettext("Send any message or /start to continue."),
    ])
    return Screen(_with_note(note, text), [[Button(t.gettext("▶ Continue"), "resume")]], PAUSED, edit=False)


def thanks_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    text = "\n".join([
        t.gettext("Thank you! Your answers have been submitted."),
        t.gettext("They count towards the certification audit of {organization}. "
                  "You can close this chat now.").format(organization=survey.organization),
    ])
    return Screen(_with_note(note, text), [[_show_answers_button(t)]], DONE)


def submitted_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    t = translator(state.language)
    text = t.gettext("You have already submitted your answers, thank you! They can no longer be changed.")
    return Screen(_with_note(note, text), [[_show_answers_button(t)]], DONE)


def submitted_answers_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    """The read-only list of a submitted respondent's answers."""
    t = translator(state.language)
    lines = [t.gettext("Your submitted answers:"), "",
             *answer_lines(survey, state), *_comment_lines(t, state)]
    return Screen(_with_note(note, "\n".join(lines)), [[Button(t.gettext("« Back"), "done")]], DONE)


def language_screen(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    """The language choice, shown at the current position: choosing re-renders the current screen."""
    t = translator(state.language)
    return Screen(_with_note(note, t.gettext("Choose your language:")), [_language_row(state.language)],
                  state.position, edit=False)


def help_text(survey: SurveyInfo, state: RespondentState) -> str:
    """What the respondent can do at the current step, and the commands."""
    t = translator(state.language)
    scale = survey.spec.scale
    if state.submitted:
        step = t.gettext("Your answers have been submitted and can no longer be changed.")
    elif question_index(state.position) is not None:
        step = t.gettext("Tap the answer that fits best, from 1 ({lowest}) to 5 ({highest}), or type a "
                         "number 1–5. If you did not experience it, tap “{not_applicable}” or type 0. "
                         "« Back returns to the previous question.").format(
            not_applicable=not_applicable_label(state.language),
            lowest=scale[0].label.in_language(state.language),
            highest=scale[-1].label.in_language(state.language))
    elif state.position == REVIEW:
        step = t.gettext("Check your answers: tap a question number to change its answer, add a comment "
                         "if you like, then tap Submit. After submitting, answers cannot be changed.")
    elif state.position == COMMENT:
        step = t.gettext("Type your comment and send it as a message, or tap Skip.")
    elif state.position == PAUSED:
        step = t.gettext("Send any message or /start to continue.")
    else:
        step = t.gettext("Tap Start to begin. The buttons 中文 / English switch the language.")
    commands = t.gettext("/help shows this help, /cancel pauses (your answers are kept), "
                         "/language changes the language.")
    return f"{step}\n{commands}"


def unreadable_note(state: RespondentState, kind: MessageKind) -> str:
    """A message the bot cannot read (a voice message, a sticker…): what it was and what to do instead
    at this step, in one line above the screen."""
    t = translator(state.language)
    unreadable = unreadable_text(state.language, kind)
    if state.submitted:
        return unreadable
    if question_index(state.position) is not None:
        template = t.gettext("{unreadable} Please tap a button below to answer, or type a number 1–5.")
    elif state.position == COMMENT:
        template = t.gettext("{unreadable} Please type your comment as a text message, or tap the button below.")
    else:
        template = t.gettext("{unreadable} Please tap one of the buttons below.")
    return template.format(unreadable=unreadable)


def moved_on_text(language: str, below: bool) -> str:
    """What an earlier screen turns into once a newer message shows the respondent's screen: no
    buttons, and where to go on (`below`: the newer message is further down the chat)."""
    t = translator(language)
    return t.gettext("↓ Continued in the message below.") if below else t.gettext("↑ Continued in the message above.")


def screen_for(survey: SurveyInfo, state: RespondentState, note: str | None = None) -> Screen:
    """The screen of the state's position (the state must have a valid position)."""
    if state.submitted:
        return submitted_screen(survey, state, note)
    if question_index(state.position) is not None:
        return question_screen(survey, state, note)
    return _BUILDERS[state.position](survey, state, note)


def answer_lines(survey: SurveyInfo, state: RespondentState) -> list[str]:
    """One line per item, numbered as its question was: "1. 功能性 · 人员 — 4 高于预期" ("N/A" for
    "not applicable")."""
    t = translator(state.language)
    spec = survey.spec
    labels = {point.rating: point.label.in_language(state.language) for point in spec.scale}
    lines = []
    for number, item in enumerate(spec.items, start=1):
        rating = state.answers.get(item.code)
        if item.code not in state.answers:
            answer = t.gettext("not answered")
        elif rating is NOT_APPLICABLE:
            answer = t.gettext("N/A (not applicable)")
        else:
            answer = f"{rating} {labels[rating]}" if rating in labels else t.gettext("not answered")
        characteristic = spec.characteristic_of(item.code).name.in_language(state.language)
        lines.append(f"{number}. {characteristic} · {item.dimension.in_language(state.language)} — {answer}")
    return lines


def not_applicable_label(language: str) -> str:
    """The sixth button of every question, after the five scale answers."""
    return translator(language).gettext("Not applicable / did not experience it")


def question_text(item: Item, language: str) -> str:
    """The item's question; its statement while the spec has no question wording yet."""
    question = item.question.in_language(language)
    return item.statement.in_language(language) if question == TODO_TRANSLATE else question


def _language_row(current: str) -> list[Button]:
    return [Button(f"{CHECK if code == current else ''}{LANGUAGE_NAMES[code]}", f"lang:{code}")
            for code in LANGUAGES]


def _show_answers_button(t: NullTranslations) -> Button:
    return Button(t.gettext("Show my answers"), "view")


def _comment_lines(t: NullTranslations, state: RespondentState) -> list[str]:
    return ["", t.gettext("Comment: {comment}").format(comment=state.comment)] if state.comment else []


def _with_note(note: str | None, text: str) -> str:
    return f"{note}\n\n{text}" if note else text


_BUILDERS: dict[str, Callable[[SurveyInfo, RespondentState, str | None], Screen]] = {
    WELCOME: welcome_screen,
    REVIEW: review_screen,
    COMMENT: comment_screen,
    PAUSED: paused_screen,
    DONE: submitted_screen,
}
