"""The customer's (respondent's) survey dialogue as a pure state machine.

No Telegram, no database, no clock: a shell turns each event into one call below, shows the
returned `Outcome.screen` and stores `Outcome.state` (when `changed`).

Flow::

    /start, a reminder's Continue ──> resume: the first unanswered question, else REVIEW, else DONE

    WELCOME ──start──> q:0 ──r:1..5──> q:1 ──r:1..5──> … ──> q:18 ──r:1..5──> REVIEW
       ^                │
       └──────back──────┘      q:<i> ──back──> q:<i-1>
                               (r:1..5, r:na ("not applicable"), a typed 1-5, or a typed 0 / NA
                               goes on to the next unanswered question)

    REVIEW ──go:<i>──> q:<i> ──r:1..5 or back──> REVIEW
    REVIEW ──comment──> COMMENT ──text of at most 1000 characters, or skip──> REVIEW
                               (a longer text is refused with its length and given back: `returned`)
    REVIEW ──submit──> DONE (thanks)         (an unanswered item: submit goes to it instead)
    DONE ──view──> read-only answers ──done──> DONE; every other event: "already submitted"

    any step ──/cancel──> PAUSED ──any message, /start or resume──> resume
    any step ──/language──> 中文 / English ──lang:zh / lang:en──> the same step, re-rendered
    any step ──/help──> a help line above the same screen

Events:
    start(survey, state) -> Outcome            /start: the welcome, or resume when answers exist
    resume(survey, state) -> Outcome           any return (message, /start, a reminder's Continue):
                                               first unanswered question, else review, else done,
                                               with a "Welcome back — x of 19 answered" line
    handle_action(survey, state, shown_position, action) -> Outcome
                                               a tapped button: `action` is Button.action and
                                               `shown_position` is Screen.position of the screen
                                               that carried the button
    handle_text(survey, state, text) -> Outcome   a text message: 1-5 (also １-５) answers the
                                               current question, 0 or NA (N/A, 不适用) answers it
                                               "not applicable"; at the comment step it is the
                                               comment; otherwise a hint and the current screen
    handle_command(survey, state, "start"|"help"|"cancel"|"language") -> Outcome
    handle_unreadable(survey, state, kind) -> Outcome   a voice message, a sticker, a photo…: what it
                                               was and what to do, above the current screen
    current_screen(survey, state) -> Screen    the screen of the current position, unchanged state

Data (also re-exported here): `new_state(language)`, `RespondentState`, `SurveyInfo(organization,
spec)`, `Screen(text, buttons, position, edit)`, `Button(text, action)`.

Button actions (at most 20 characters): "lang:zh", "lang:en", "start", "r:<1-5>", "r:na", "back",
"go:<item index>", "comment", "skip", "submit", "resume", "view", "done".
An action is applied only if `shown_position == state.position`; otherwise the current screen comes
back with a note and nothing changes (`stale`), which makes a double tap harmless. A malformed,
unknown or out-of-place action changes nothing and sets `invalid` (the shell logs it). Once
submitted, answers never change: every event yields the "already submitted" screen, except "view"
(the read-only list of answers) and a language switch.

`Outcome` tells the shell what to persist: `changed` (any Respondent column), `saved` (the item and
rating just stored, None for "not applicable": upsert that Answer row), `submitted` (this event
submitted), `comment_saved`, `returned` (a refused comment, to give back to the person to shorten).
Screens that answer a text message, a command or a resume have `edit=False` (send a new message);
screens that answer a button have `edit=True` (edit the message that carried the button).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from conversations.message_kinds import MessageKind
from conversations.respondent_screens import (
    COMMENT_MAX_LENGTH,
    help_text,
    language_screen,
    paused_screen,
    screen_for,
    submitted_answers_screen,
    submitted_screen,
    thanks_screen,
    unreadable_note,
)
from conversations.respondent_state import (
    COMMENT,
    DONE,
    PAUSED,
    QUESTION,
    REVIEW,
    WELCOME,
    RespondentState,
    SurveyInfo,
    answered_count,
    first_unanswered,
    is_valid_position,
    new_state,
    position_kind,
    question_index,
    question_position,
    resume_position,
)
from conversations.screens import MAX_ACTION_LENGTH, Button, Screen
from locales import LANGUAGES, normalize_language, translator
from scoring.service import NOT_APPLICABLE, Rating

__all__ = [
    "Button", "Outcome", "RespondentState", "Screen", "SurveyInfo", "current_screen", "handle_action",
    "handle_command", "handle_text", "handle_unreadable", "new_state", "resume", "start",
]

_ACTION_SYNTAX = re.compile(r"[a-z]{1,10}(?::[a-z0-9]{1,8})?")
_RATINGS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_NOT_APPLICABLE_ACTION = "na"  # "r:na", the sixth button of a question
_TYPED_NOT_APPLICABLE = {"0", "na", "n/a", "不适用"}  # compared after NFKC and casefold


@dataclass(frozen=True)
class Outcome:
    state: RespondentState
    screen: Screen
    changed: bool = False
    saved: tuple[str, Rating] | None = None
    submitted: bool = False
    comment_saved: bool = False
    invalid: bool = False
    stale: bool = False
    returned: str | None = None


def current_screen(survey: SurveyInfo, state: RespondentState) -> Screen:
    return screen_for(survey, _normalized(survey, state))


def start(survey: SurveyInfo, state: RespondentState) -> Outcome:
    """/start: the welcome for a newcomer, otherwise the same as `resume`."""
    return resume(survey, state)


def resume(survey: SurveyInfo, state: RespondentState) -> Outcome:
    return _finish(state, _resumed(survey, _normalized(survey, state)), edit=False)


def handle_action(survey: SurveyInfo, state: RespondentState, shown_position: str, action: str) -> Outcome:
    now = _normalized(survey, state)
    parsed = _parse_action(action)
    rule = _ACTIONS.get(parsed[0]) if parsed else None
    if parsed is None or rule is None:
        return _finish(state, Outcome(now, screen_for(survey, now), invalid=True))
    name, argument = parsed
    if now.submitted and name == "submit":  # a double tap on Submit: the thanks stay as they are
        return _finish(state, Outcome(now, thanks_screen(survey, now)))
    if now.submitted and name not in _ALLOWED_AFTER_SUBMIT:
        return _finish(state, Outcome(now, submitted_screen(survey, now)))
    if shown_position != now.position:
        note = translator(now.language).gettext(
            "That button is from an older screen. Here is where you are now.")
        return _finish(state, Outcome(now, screen_for(survey, now, note), stale=True))
    handler, positions = rule
    outcome = handler(survey, now, argument) if position_kind(now.position) in positions else None
    if outcome is None:
        return _finish(state, Outcome(now, screen_for(survey, now), invalid=True))
    return _finish(state, outcome)


def handle_text(survey: SurveyInfo, state: RespondentState, text: str) -> Outcome:
    now = _normalized(survey, state)
    t = translator(now.language)
    if now.submitted:
        outcome = Outcome(now, submitted_screen(survey, now))
    elif now.position == PAUSED:
        return resume(survey, state)
    elif position_kind(now.position) == QUESTION:
        typed = unicodedata.normalize("NFKC", text).strip().casefold()
        if typed in _TYPED_NOT_APPLICABLE:
            outcome = _answer(survey, now, NOT_APPLICABLE)
        elif typed in _RATINGS:
            outcome = _answer(survey, now, _RATINGS[typed])
        else:
            hint = t.gettext("Please tap one of the buttons, or type a number 1–5. "
                             "Type 0 if you did not experience it (not applicable).")
            outcome = Outcome(now, screen_for(survey, now, hint))
    elif now.position == COMMENT:
        outcome = _take_comment(survey, now, text)
    else:
        outcome = Outcome(now, screen_for(survey, now, t.gettext("Please tap one of the buttons below.")))
    return _finish(state, outcome, edit=False)


def handle_unreadable(survey: SurveyInfo, state: RespondentState, kind: MessageKind) -> Outcome:
    """A message without text the bot can read (a voice message, a sticker, a photo…): what it was and
    what to do, above the current screen; a paused survey goes on."""
    now = _normalized(survey, state)
    if now.position == PAUSED:
        now = _resumed(survey, now).state
    return _finish(state, Outcome(now, screen_for(survey, now, unreadable_note(now, kind))), edit=False)


def handle_command(survey: SurveyInfo, state: RespondentState, command: str) -> Outcome:
    """`command` without or with its slash: "start", "help", "cancel" or "language"."""
    now = _normalized(survey, state)
    name = command.strip().lstrip("/").lower()
    if name == "start":
        return start(survey, state)
    if name == "help":
        outcome = Outcome(now, screen_for(survey, now, help_text(survey, now)))
    elif name == "language":
        outcome = Outcome(now, language_screen(survey, now))
    elif name == "cancel" and not now.submitted:
        paused = replace(now, position=PAUSED, reviewing=False)
        outcome = Outcome(paused, paused_screen(survey, paused))
    elif name == "cancel":
        outcome = Outcome(now, submitted_screen(survey, now))
    else:
        outcome = Outcome(now, screen_for(survey, now), invalid=True)
    return _finish(state, outcome, edit=False)


# --- action handlers: (survey, state at the shown position, argument) -> Outcome, None if invalid ---

def _switch_language(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    if argument not in LANGUAGES:
        return None
    after = replace(state, language=argument)
    return Outcome(after, screen_for(survey, after))


def _begin(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return _move(survey, state, resume_position(survey.spec, state)) if not argument else None


def _rate(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    if argument == _NOT_APPLICABLE_ACTION:
        return _answer(survey, state, NOT_APPLICABLE)
    rating = _RATINGS.get(argument)
    return _answer(survey, state, rating) if rating is not None else None


def _back(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    if argument:
        return None
    index = question_index(state.position) or 0
    if state.reviewing:
        return _move(survey, state, REVIEW)
    return _move(survey, state, WELCOME if index == 0 else question_position(index - 1))


def _change(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    if not argument.isascii() or not argument.isdigit() or int(argument) >= len(survey.spec.items):
        return None
    after = replace(state, position=question_position(int(argument)), reviewing=True)
    return Outcome(after, screen_for(survey, after))


def _open_comment(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return _move(survey, state, COMMENT) if not argument else None


def _skip_comment(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return _move(survey, state, REVIEW) if not argument else None


def _submit(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    if argument:
        return None
    missing = first_unanswered(survey.spec, state)
    if missing is not None:
        after = replace(state, position=question_position(missing), reviewing=False)
        note = translator(state.language).gettext(
            "Question {number} is not answered yet. Please answer it, then submit.").format(number=missing + 1)
        return Outcome(after, screen_for(survey, after, note))
    after = replace(state, position=DONE, submitted=True, reviewing=False)
    return Outcome(after, thanks_screen(survey, after), submitted=True)


def _resume(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return _resumed(survey, state) if not argument else None


def _view_answers(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return Outcome(state, submitted_answers_screen(survey, state)) if not argument else None


def _close_answers(survey: SurveyInfo, state: RespondentState, argument: str) -> Outcome | None:
    return Outcome(state, submitted_screen(survey, state)) if not argument else None


_Handler = Callable[[SurveyInfo, RespondentState, str], "Outcome | None"]
_ANYWHERE = (WELCOME, QUESTION, REVIEW, COMMENT, PAUSED, DONE)
# action name -> (handler, the position kinds whose screens carry that button)
_ACTIONS: dict[str, tuple[_Handler, tuple[str, ...]]] = {
    "lang": (_switch_language, _ANYWHERE),
    "start": (_begin, (WELCOME,)),
    "r": (_rate, (QUESTION,)),
    "back": (_back, (QUESTION,)),
    "go": (_change, (REVIEW,)),
    "comment": (_open_comment, (REVIEW,)),
    "skip": (_skip_comment, (COMMENT,)),
    "submit": (_submit, (REVIEW,)),
    "resume": (_resume, _ANYWHERE),  # also a reminder's Continue button, shown at any step
    "view": (_view_answers, (DONE,)),
    "done": (_close_answers, (DONE,)),
}
_ALLOWED_AFTER_SUBMIT = {"lang", "view", "done"}


# --- steps shared by buttons and text ---

def _resumed(survey: SurveyInfo, state: RespondentState) -> Outcome:
    """Back after a pause: the first unanswered question (or the review, or the done screen)."""
    if state.submitted:
        return Outcome(state, submitted_screen(survey, state))
    spec = survey.spec
    answered = answered_count(spec, state)
    if answered == 0:
        after = replace(state, position=WELCOME, reviewing=False)
        return Outcome(after, screen_for(survey, after))
    after = replace(state, position=resume_position(spec, state), reviewing=False)
    note = translator(state.language).gettext("Welcome back — {answered} of {total} answered.").format(
        answered=answered, total=len(spec.items))
    return Outcome(after, screen_for(survey, after, note))


def _answer(survey: SurveyInfo, state: RespondentState, rating: Rating) -> Outcome:
    """Store the rating (or "not applicable") of the current question; go on to the next unanswered
    one, else the review."""
    spec = survey.spec
    index = question_index(state.position)
    assert index is not None, "answering needs a question position"
    code = spec.items[index].code
    answered = replace(state, answers={**state.answers, code: rating})
    following = first_unanswered(spec, answered, after=index)
    if following is None:
        following = first_unanswered(spec, answered)
    position = REVIEW if state.reviewing or following is None else question_position(following)
    after = replace(answered, position=position, reviewing=False)
    return Outcome(after, screen_for(survey, after), saved=(code, rating))


def _take_comment(survey: SurveyInfo, state: RespondentState, text: str) -> Outcome:
    t = translator(state.language)
    comment = text.strip()
    if not comment:
        return Outcome(state, screen_for(survey, state,
                                         t.gettext("Please type your comment as a message, or tap Skip.")))
    if len(comment) > COMMENT_MAX_LENGTH:
        note = t.gettext("Your comment has {length} characters; the limit is {limit}. Your text is kept: "
                         "please shorten it and send it again.").format(
            length=f"{len(comment):,}", limit=f"{COMMENT_MAX_LENGTH:,}")
        return Outcome(state, screen_for(survey, state, note), returned=comment)
    after = replace(state, comment=comment, position=REVIEW)
    return Outcome(after, screen_for(survey, after, t.gettext("Thank you, your comment is saved.")),
                   comment_saved=True)


def _move(survey: SurveyInfo, state: RespondentState, position: str) -> Outcome:
    after = replace(state, position=position, reviewing=False)
    return Outcome(after, screen_for(survey, after))


def _parse_action(action: str) -> tuple[str, str] | None:
    if not isinstance(action, str) or len(action) > MAX_ACTION_LENGTH or not _ACTION_SYNTAX.fullmatch(action):
        return None
    name, _, argument = action.partition(":")
    return name, argument


def _normalized(survey: SurveyInfo, state: RespondentState) -> RespondentState:
    """The state with a usable language and position (a stored state may predate a spec change)."""
    language = normalize_language(state.language)
    if state.submitted:
        position = DONE
    elif is_valid_position(survey.spec, state.position) and state.position != DONE:
        position = state.position
    else:
        position = resume_position(survey.spec, state)
    if language == state.language and position == state.position:
        return state
    return replace(state, language=language, position=position)


def _finish(before: RespondentState, outcome: Outcome, edit: bool | None = None) -> Outcome:
    """Mark whether the state changed; `edit` overrides the screen's edit flag."""
    screen = outcome.screen if edit is None else replace(outcome.screen, edit=edit)
    return replace(outcome, screen=screen, changed=outcome.state != before)
