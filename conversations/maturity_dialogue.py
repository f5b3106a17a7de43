"""/maturity: the audit lead rates the management requirements (Appendix 3) at level 1-5, as pure screens.

The levels themselves are the state: the shell loads them from the database for each event,
stores the level `Step.rate` asks for, and renders the `Step.position` with the new levels.

Positions: "r<i>" (rate requirement i, 0-based in spec order), "h<i>" (what the levels of
requirement i's group mean), "sum" (the result, with a button per requirement to change it).

Flow::

    /maturity ──> r<first unrated>, or sum when all are rated
    r<i> ──l:1..l:5──> stores the level, then r<next unrated after i> (wrapping), or sum when none
    r<i> ──help──> h<i> ──rate──> r<i>
    r<i> ──back──> r<i-1>       r<i> ──next──> r<i+1> (sum after the last)       r<i> ──sum──> sum
    sum ──go:<i>──> r<i>         sum ──go:<first unrated>──> r<first unrated> ("Continue rating")

Rating is idempotent, so a button of an older message is harmless: it rates the requirement its
screen showed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from conversations.result_wording import ResultFigures, result_lines
from conversations.screens import Button, Screen
from locales import translator
from scoring.certification import certify
from scoring.confidence import ConfidenceInterval
from scoring.explain import level_label
from scoring.management import LEVELS, management_level, management_total
from scoring.rounding import display
from specs.model import Spec

SUMMARY = "sum"
_POSITION = re.compile(r"([rh])(\d{1,3})")
_REQUIREMENT_BUTTONS_PER_ROW = 4


@dataclass(frozen=True)
class Step:
    """Where to go next; `rate` is (requirement code, level) to store first."""

    position: str
    rate: tuple[str, int] | None = None
    invalid: bool = False


@dataclass(frozen=True)
class ServiceFigures:
    """The survey's current displayed service score, how many submitted responses it rests on and its 95 %
    interval (None with fewer than two); the score is None while an item has no rating (every answer to it
    "not applicable")."""

    score: Decimal | None
    submitted: int
    interval: ConfidenceInterval | None = None


def first_unrated(spec: Spec, levels: Mapping[str, int], after: int = -1) -> int | None:
    """The index of the first unrated requirement after `after`, wrapping around; None if all are rated."""
    codes = [requirement.code for requirement in spec.requirements]
    order = list(range(after + 1, len(codes))) + list(range(0, after + 1))
    return next((index for index in order if codes[index] not in levels), None)


def opening_position(spec: Spec, levels: Mapping[str, int]) -> str:
    index = first_unrated(spec, levels)
    return SUMMARY if index is None else f"r{index}"


def handle_action(spec: Spec, levels: Mapping[str, int], position: str, action: str) -> Step:
    """A tapped button of the screen shown at `position`."""
    count = len(spec.requirements)
    name, _sep, value = action.partition(":")
    if name == "go" and value.isdigit() and int(value) < count:
        return Step(f"r{int(value)}")
    if action == SUMMARY:
        return Step(SUMMARY)
    index = _index(position, count)
    if index is None:
        return Step(SUMMARY, invalid=True)
    if name == "l" and position.startswith("r") and value.isdigit() and int(value) in range(1, LEVELS + 1):
        code = spec.requirements[index].code
        following = first_unrated(spec, {**levels, code: int(value)}, after=index)
        return Step(SUMMARY if following is None else f"r{following}", rate=(code, int(value)))
    if action == "help":
        return Step(f"h{index}")
    if action == "rate":
        return Step(f"r{index}")
    if action == "back" and index > 0:
        return Step(f"r{index - 1}")
    if action == "next":
        return Step(f"r{index + 1}" if index + 1 < count else SUMMARY)
    return Step(position, invalid=True)


def render(spec: Spec, levels: Mapping[str, int], position: str, language: str, organization: str,
           service: ServiceFigures | None) -> Screen:
    """The screen of `position` (an unknown position shows the summary)."""
    index = _index(position, len(spec.requirements))
    if index is None:
        return _summary_screen(spec, levels, language, organization, service)
    if position.startswith("h"):
        return _levels_screen(spec, index, language)
    return _rating_screen(spec, levels, index, language, organization)


def _index(position: str, count: int) -> int | None:
    match = _POSITION.fullmatch(position)
    if match is None or int(match.group(2)) >= count:
        return None
    return int(match.group(2))


def _rating_screen(spec: Spec, levels: Mapping[str, int], index: int, language: str,
                   organization: str) -> Screen:
    _ = translator(language).gettext
    requirement = spec.requirements[index]
    group = spec.group_of(requirement.code)
    current = levels.get(requirement.code)
    text = _("Management maturity of {organization} · {n}/{total}\n\n"
             "{group_code} {group}\n"
             "{code} {name}\n"
             "Worth up to {weight} points: each level earns a fifth of them (level 3: {example} points).\n"
             "Current level: {current}\n\n"
             "Tap the level this requirement reaches.").format(
        organization=organization, n=index + 1, total=len(spec.requirements), group_code=group.code,
        group=group.name.in_language(language), code=requirement.code,
        name=requirement.name.in_language(language), weight=requirement.weight,
        example=f"{requirement.weight * 3 / 5:g}",
        current=current if current is not None else _("not rated yet"))
    levels_row = [Button(f"{level} ✓" if level == current else str(level), f"l:{level}")
                  for level in range(1, LEVELS + 1)]
    moves = [Button(_("‹ Back"), "back")] if index > 0 else []
    moves.append(Button(_("Next ›") if current is not None else _("Skip ›"), "next"))
    buttons = [levels_row, [Button(_("What do the levels mean?"), "help")], moves,
               [Button(_("Overview and result"), SUMMARY)]]
    return Screen(text=text, buttons=buttons, position=f"r{index}")


def _levels_screen(spec: Spec, index: int, language: str) -> Screen:
    _ = translator(language).gettext
    requirement = spec.requirements[index]
    group = spec.group_of(requirement.code)
    lines = [_("What the levels mean for {group_code} {group}:").format(
        group_code=group.code, group=group.name.in_language(language))]
    lines += [f"{level}. {description.in_language(language)}"
              for level, description in enumerate(group.level_descriptions, start=1)]
    back = Button(_("‹ Back to {code}").format(code=requirement.code), "rate")
    return Screen(text="\n\n".join(lines), buttons=[[back]], position=f"h{index}")


def _summary_screen(spec: Spec, levels: Mapping[str, int], language: str, organization: str,
                    service: ServiceFigures | None) -> Screen:
    _ = translator(language).gettext
    requirements = spec.requirements
    lines = [_("Management maturity of {organization}: {rated} of {total} requirements rated.").format(
        organization=organization, rated=len(levels), total=len(requirements))]
    unrated = first_unrated(spec, levels)
    if unrated is not None:
        lines.append(_("Rate all {total} requirements to see the management level and the certification "
                       "result.").format(total=len(requirements)))
    else:
        lines.append(_result(spec, levels, language, service))
    lines.append(_("Tap a requirement to change its rating."))
    buttons = [
        [Button(f"{r.code}: {levels.get(r.code, '–')}", f"go:{index}")
         for index, r in list(enumerate(requirements))[start:start + _REQUIREMENT_BUTTONS_PER_ROW]]
        for start in range(0, len(requirements), _REQUIREMENT_BUTTONS_PER_ROW)
    ]
    if unrated is not None:
        buttons.insert(0, [Button(_("Continue rating ›"), f"go:{unrated}")])
    return Screen(text="\n\n".join(lines), buttons=buttons, position=SUMMARY)


def _result(spec: Spec, levels: Mapping[str, int], language: str, service: ServiceFigures | None) -> str:
    _ = translator(language).gettext
    total = display(management_total(spec, levels))
    level = management_level(spec, float(total))
    text = _("Management total: {total} of {max:g}, {level}.").format(
        total=total, max=spec.management_max, level=level_label(spec, level, language))
    if service is None:
        waiting = _("No submitted responses yet: the certification result needs the service score.")
        return f"{text}\n{waiting}"
    if service.score is None:
        waiting = _("The service score is undetermined until every item has at least one rating (so far every "
                    "answer to some item was \"not applicable\"): the certification result must wait.")
        return f"{text}\n{waiting}"
    figures = ResultFigures(service.score, service.interval, certify(spec, service.score, level))
    return "\n".join([text, _("Responses in total: {count}").format(count=service.submitted),
                      *result_lines(spec, figures, language)])
