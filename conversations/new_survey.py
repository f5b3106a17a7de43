"""/newsurvey: the audit lead's guided creation of a survey, as a pure state machine.

No Telegram, no database, no clock: the shell passes the specs, today's date in the survey time
zone and a fresh `serial` for each /newsurvey, stores `Outcome.state` (None: the dialogue is over,
forget it) and shows `Outcome.screen`. When `Outcome.create` is set, the shell creates the survey.

Flow::

    /newsurvey ──> spec ──s:<ID>──> org ──typed name (2-100 characters)──> target
                   target ──t:30|t:50|t:100|t:200|t:0 (no target) or a typed number──> closing
                   closing ──c:7|c:14|c:28 (days from today)|c:0 (no date) or typed YYYY-MM-DD──> confirm
                   confirm ──create──> over (Outcome.create)

    every step ──back──> the step before (spec has none)
    every step ──cancel or /cancel──> over, nothing created
    invalid typed input ──> a hint above the same step

A screen's `position` is "<serial>.<step>": a button of an older screen, or of an earlier
/newsurvey, changes nothing (`stale`) and the current step is shown again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from conversations.screens import Button, Screen
from locales import translator
from specs.model import Spec

SPEC, ORGANIZATION, TARGET, CLOSING, CONFIRM = "spec", "org", "target", "closing", "confirm"
STEPS = (SPEC, ORGANIZATION, TARGET, CLOSING, CONFIRM)
ORGANIZATION_LENGTH = range(2, 101)
TARGET_CHOICES = (30, 50, 100, 200)
MAX_TARGET = 100_000
CLOSING_CHOICES_DAYS = (7, 14, 28)
OVER_POSITION = "over"
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass(frozen=True)
class Context:
    """What the dialogue needs from outside: the specs to offer, today in `timezone`."""

    specs: Sequence[Spec]
    today: dt.date
    timezone: str

    def spec(self, spec_id: str | None) -> Spec | None:
        return next((spec for spec in self.specs if spec.id == spec_id), None)


@dataclass(frozen=True)
class NewSurveyState:
    serial: str
    language: str
    step: str = SPEC
    spec_id: str | None = None
    organization: str | None = None
    target: int | None = None
    closes_on: dt.date | None = None

    @property
    def position(self) -> str:
        return f"{self.serial}.{self.step}"

    def to_json(self) -> str:
        data = asdict(self)
        data["closes_on"] = self.closes_on.isoformat() if self.closes_on else None
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> NewSurveyState:
        data = json.loads(text)
        closes_on = data.pop("closes_on")
        return cls(**data, closes_on=dt.date.fromisoformat(closes_on) if closes_on else None)


@dataclass(frozen=True)
class SurveyRequest:
    """The survey to create."""

    spec_id: str
    organization: str
    target: int | None
    closes_on: dt.date | None


@dataclass(frozen=True)
class Outcome:
    state: NewSurveyState | None
    screen: Screen
    create: SurveyRequest | None = None
    stale: bool = False
    invalid: bool = False


def start(language: str, serial: str, context: Context) -> Outcome:
    state = NewSurveyState(serial=serial, language=language)
    return Outcome(state, _screen(state, context, edit=False))


def current_screen(state: NewSurveyState, context: Context) -> Screen:
    return _screen(state, context, edit=False)


def cancel(state: NewSurveyState) -> Outcome:
    _ = translator(state.language).gettext
    text = _("New survey cancelled; nothing was created. Send /newsurvey to start again.")
    return Outcome(None, Screen(text=text, buttons=[], position=OVER_POSITION))


def handle_action(state: NewSurveyState, context: Context, shown_position: str, action: str) -> Outcome:
    """A tapped button of the screen shown at `shown_position`."""
    if shown_position != state.position:
        _ = translator(state.language).gettext
        note = _("That button belongs to an earlier screen. Here is where you are now:")
        return Outcome(state, _screen(state, context, edit=False, note=note), stale=True)
    if action == "cancel":
        return cancel(state)
    if action == "back" and state.step != SPEC:
        return _go(replace(state, step=STEPS[STEPS.index(state.step) - 1]), context)
    name, _sep, value = action.partition(":")
    if state.step == SPEC and name == "s" and context.spec(value) is not None:
        return _go(replace(state, spec_id=value, step=ORGANIZATION), context)
    choice = dates_choice(action, context.today)
    if state.step == TARGET and choice and choice.kind == TARGET:
        return _go(replace(state, target=choice.target, step=CLOSING), context)
    if state.step == CLOSING and choice and choice.kind == CLOSING:
        return _go(replace(state, closes_on=choice.closes_on, step=CONFIRM), context)
    if state.step == CONFIRM and action == "create" and state.spec_id and state.organization:
        request = SurveyRequest(state.spec_id, state.organization, state.target, state.closes_on)
        return Outcome(None, Screen(text="", buttons=[], position=OVER_POSITION), create=request)
    return Outcome(state, _screen(state, context, edit=True), invalid=True)


@dataclass(frozen=True)
class DatesChoice:
    """A tapped target ("t:<n>", "t:0" none) or closing choice ("c:<days from today>", "c:0" none)."""

    kind: str  # TARGET or CLOSING
    target: int | None = None
    closes_on: dt.date | None = None


def dates_choice(action: str, today: dt.date) -> DatesChoice | None:
    """The choice an action of `target_rows` or `closing_rows` stands for; None for anything else."""
    name, _sep, value = action.partition(":")
    if not value.isdigit():
        return None
    if name == "t" and int(value) in (0, *TARGET_CHOICES):
        return DatesChoice(TARGET, target=int(value) or None)
    if name == "c" and int(value) in (0, *CLOSING_CHOICES_DAYS):
        return DatesChoice(CLOSING, closes_on=today + dt.timedelta(days=int(value)) if int(value) else None)
    return None


def target_rows(language: str) -> list[list[Button]]:
    """The target buttons of /newsurvey and of a survey's dates screen."""
    _ = translator(language).gettext
    return [[Button(str(n), f"t:{n}") for n in TARGET_CHOICES], [Button(_("No target"), "t:0")]]


def closing_rows(language: str) -> list[list[Button]]:
    """The closing-day buttons (days from today) of /newsurvey and of a survey's dates screen."""
    _ = translator(language).gettext
    labels = (_("In 1 week"), _("In 2 weeks"), _("In 4 weeks"))
    weeks = [Button(label, f"c:{days}") for label, days in zip(labels, CLOSING_CHOICES_DAYS, strict=True)]
    return [weeks, [Button(_("No closing date"), "c:0")]]


def handle_text(state: NewSurveyState, context: Context, text: str) -> Outcome:
    """A typed message: the organization, a target number, a closing date, or else a hint."""
    _ = translator(state.language).gettext
    typed = " ".join(unicodedata.normalize("NFKC", text).split())
    if state.step == SPEC:
        spec = context.spec(typed.upper())
        if spec is not None:
            return _go(replace(state, spec_id=spec.id, step=ORGANIZATION), context, edit=False)
        return _hint(state, context, _("Please tap the service this survey is for."))
    if state.step == ORGANIZATION:
        if len(typed) not in ORGANIZATION_LENGTH:
            hint = _("The organization name must be 2 to 100 characters long (yours has {count}). "
                     "Please type it again.")
            return _hint(state, context, hint.format(count=len(typed)))
        return _go(replace(state, organization=typed, step=TARGET), context, edit=False)
    if state.step == TARGET:
        if not typed.isdigit() or int(typed) not in range(1, MAX_TARGET + 1):
            return _hint(state, context, _("Please tap a number, or type a whole number from 1 to {max}.")
                         .format(max=MAX_TARGET))
        return _go(replace(state, target=int(typed), step=CLOSING), context, edit=False)
    if state.step == CLOSING:
        closes_on = parse_date(typed)
        if closes_on is None:
            return _hint(state, context, _("\"{text}\" is not a date. Please type it like {example}.")
                         .format(text=typed[:40], example=context.today.isoformat()))
        if closes_on < context.today:
            return _hint(state, context, _("{date} is in the past. Please choose today or a later date.")
                         .format(date=closes_on.isoformat()))
        return _go(replace(state, closes_on=closes_on, step=CONFIRM), context, edit=False)
    return _hint(state, context, _("Please tap Create, Back or Cancel."))


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD (also with / or . between the parts), or None."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def created_text(language: str, organization: str, service: str, link: str, code: str) -> str:
    _ = translator(language).gettext
    return _("Survey created for {organization} ({service}).\n\n"
             "Invite link for customers:\n{link}\n\n"
             "Share the link, or print the QR code that follows. Survey code: {code}\n"
             "/close {code} closes it, /addlead {code} adds a co-lead, "
             "/maturity {code} rates management maturity.").format(
        organization=organization, service=service, link=link, code=code)


def invite_text(language: str, organization: str, link: str, web_page: str | None = None) -> str:
    _ = translator(language).gettext
    text = _("Invite link for the customers of {organization}:\n{link}\n\n"
             "Share the link, or print the QR code that follows.").format(organization=organization, link=link)
    if web_page is not None:
        text += "\n\n" + _("Customers without Telegram answer the same survey in a browser:\n{page}").format(
            page=web_page)
    return text


def qr_caption(organization: str, service: str) -> str:
    return f"{organization} · {service}"


def _go(state: NewSurveyState, context: Context, edit: bool = True) -> Outcome:
    return Outcome(state, _screen(state, context, edit=edit))


def _hint(state: NewSurveyState, context: Context, note: str) -> Outcome:
    return Outcome(state, _screen(state, context, edit=False, note=note), invalid=True)


def _screen(state: NewSurveyState, context: Context, *, edit: bool, note: str | None = None) -> Screen:
    _ = translator(state.language).gettext
    back = Button(_("‹ Back"), "back")
    cancel_button = Button(_("Cancel"), "cancel")
    if state.step == SPEC:
        text = _("New survey, step 1 of 4: which service is audited?")
        buttons = [[Button(f"{spec.id} · {spec.service.in_language(state.language)}", f"s:{spec.id}")]
                   for spec in context.specs] + [[cancel_button]]
    elif state.step == ORGANIZATION:
        text = _("New survey, step 2 of 4: type the name of the audited organization (2 to 100 characters).")
        buttons = [[back, cancel_button]]
    elif state.step == TARGET:
        text = _("New survey, step 3 of 4: how many responses do you aim for? Tap a number or type one.")
        buttons = [*target_rows(state.language), [back, cancel_button]]
    elif state.step == CLOSING:
        text = _("New survey, step 4 of 4: when should the survey close? Tap a choice, or type a date "
                 "like {example}. It closes at the end of that day ({timezone}).").format(
            example=context.today.isoformat(), timezone=context.timezone)
        buttons = [*closing_rows(state.language), [back, cancel_button]]
    else:
        text = _summary(state, context)
        buttons = [[Button(_("✅ Create"), "create")], [back, cancel_button]]
    if note:
        text = f"{note}\n\n{text}"
    return Screen(text=text, buttons=buttons, position=state.position, edit=edit)


def _summary(state: NewSurveyState, context: Context) -> str:
    _ = translator(state.language).gettext
    spec = context.spec(state.spec_id)
    service = spec.service.in_language(state.language) if spec else ""
    target = _("{count} responses").format(count=state.target) if state.target else _("no target")
    closes = _("no closing date")
    if state.closes_on:
        closes = _("end of {date} ({timezone})").format(date=state.closes_on, timezone=context.timezone)
    return _("Please check the new survey:\n"
             "Service: {spec} {service}\n"
             "Organization: {organization}\n"
             "Target: {target}\n"
             "Closes: {closes}\n\n"
             "Create it?").format(spec=state.spec_id, service=service, organization=state.organization,
                                  target=target, closes=closes)


def ended_text(language: str) -> str:
    """A button of a /newsurvey that was finished, cancelled or abandoned."""
    return translator(language).gettext("This /newsurvey has ended. Send /newsurvey to create a survey.")
