"""The respondent's place in the survey: a small plain value the shell stores after every event.

`position` is one short string (one database column):
    "welcome"  the welcome screen
    "q:<i>"    question i (0-based index into `spec.items`)
    "review"   the list of answers before submitting
    "comment"  waiting for the optional comment as a text message
    "paused"   after /cancel; any message continues
    "done"     submitted; nothing can change any more
`answers` maps item code to rating 1-5, or to None (scoring.service.NOT_APPLICABLE) for "not applicable /
did not experience it"; an item is answered when its code is in `answers` (the shell keeps one Answer
row per item, rating NULL for "not applicable"). `reviewing` is
True while a question was opened from the review screen: answering it returns to the review.
States are never changed in place; every transition makes a new one with `dataclasses.replace`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from locales import normalize_language
from specs import Spec

WELCOME = "welcome"
REVIEW = "review"
COMMENT = "comment"
PAUSED = "paused"
DONE = "done"
QUESTION = "q"
_QUESTION_POSITION = re.compile(r"q:([0-9]{1,3})")


@dataclass(frozen=True)
class SurveyInfo:
    """What the dialogue needs to know about the survey; the shell builds it from its Survey row."""

    organization: str
    spec: Spec


@dataclass(frozen=True)
class RespondentState:
    language: str
    position: str = WELCOME
    answers: dict[str, int | None] = field(default_factory=dict)
    comment: str | None = None
    submitted: bool = False
    reviewing: bool = False


def new_state(language: str | None) -> RespondentState:
    """A respondent who has not started; `language` may be a Telegram language_code."""
    return RespondentState(language=normalize_language(language))


def question_position(index: int) -> str:
    return f"{QUESTION}:{index}"


def question_index(position: str) -> int | None:
    """The item index of a "q:<i>" position, None for any other position."""
    match = _QUESTION_POSITION.fullmatch(position)
    return int(match.group(1)) if match else None


def position_kind(position: str) -> str:
    """"q" for every question position, the position itself otherwise."""
    return QUESTION if question_index(position) is not None else position


def answered_count(spec: Spec, state: RespondentState) -> int:
    return sum(1 for item in spec.items if item.code in state.answers)


def first_unanswered(spec: Spec, state: RespondentState, after: int = -1) -> int | None:
    """Index of the first unanswered item after index `after`, None if there is none."""
    for index, item in enumerate(spec.items):
        if index > after and item.code not in state.answers:
            return index
    return None


def resume_position(spec: Spec, state: RespondentState) -> str:
    """Where a returning respondent continues: the first unanswered question, else the review."""
    if state.submitted:
        return DONE
    index = first_unanswered(spec, state)
    return REVIEW if index is None else question_position(index)


def is_valid_position(spec: Spec, position: str) -> bool:
    index = question_index(position)
    if index is not None:
        return index < len(spec.items)
    return position in (WELCOME, REVIEW, COMMENT, PAUSED, DONE)
