"""The respondent's screens as web pages: the same `Screen` (text + buttons) with what a page adds
around it (title, heading, progress "7 / 19", the privacy line, a language switch, a comment box),
and the notice pages of the web channel. Pure: every text comes from the catalogs.

    page = screen_page(survey, state, screen)           # a dialogue screen as a page
    page = notice_page(language, Notice.LINK_USED)      # a clear page for what went wrong
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from conversations.progress import progress_bar
from conversations.respondent_screens import COMMENT_MAX_LENGTH, LANGUAGE_NAMES
from conversations.respondent_state import COMMENT, DONE, REVIEW, WELCOME, RespondentState, SurveyInfo, question_index
from conversations.screens import Button, Screen
from locales import LANGUAGES, N_, translator

SEND_COMMENT = "send"  # the web page's own action: the comment box's text is sent with it
HTML_LANGUAGES = {"zh": "zh-Hans", "en": "en"}
Gettext = Callable[[str], str]


@dataclass(frozen=True)
class PageButton:
    text: str
    action: str
    hidden_prefix: str = ""  # read by screen readers before the label ("Change answer" 1.1)


@dataclass(frozen=True)
class TextBox:
    label: str
    value: str
    send: str  # the label of the button that sends it


@dataclass(frozen=True)
class Page:
    """What a page shows. `position` is sent back with a pressed button (None: the page has no form);
    `csrf` and `action` (where the form posts) are filled in by the web service."""

    language: str
    title: str
    heading: str
    blocks: tuple[tuple[str, ...], ...] = ()
    note: str | None = None
    progress: tuple[int, int] | None = None
    rows: tuple[tuple[PageButton, ...], ...] = ()
    position: str | None = None
    text_box: TextBox | None = None
    languages: tuple[PageButton, ...] = ()
    link: tuple[str, str] | None = None  # (label, href) under a notice
    labels: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    action: str = ""

    @property
    def html_language(self) -> str:
        return HTML_LANGUAGES.get(self.language, self.language)


class Notice(Enum):
    UNKNOWN_LINK = "unknown_link"
    LINK_USED = "link_used"
    CLOSED = "closed"
    NOT_YET_OPEN = "not_yet_open"
    NOT_OFFERED = "not_offered"
    FORM_EXPIRED = "form_expired"
    DAMAGED_COOKIE = "damaged_cookie"
    NO_COOKIE = "no_cookie"
    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"
    NOT_FOUND = "not_found"
    FAILED = "failed"


def screen_page(survey: SurveyInfo, state: RespondentState, screen: Screen, note: str | None = None,
                text: str | None = None) -> Page:
    """A dialogue screen as a page; `text` refills the comment box (a refused comment is kept)."""
    t = translator(state.language)
    spec = survey.spec
    lines = screen.text.split("\n")
    index = question_index(screen.position)
    progress = None
    if index is not None:
        progress = (index + 1, len(spec.items))
        bar_line = f"{index + 1}/{len(spec.items)} {progress_bar(index + 1, len(spec.items))}"
        lines = [line for line in lines if line != bar_line]
    if screen.position == WELCOME:
        lines += ["", t.gettext("Specification: {document} {service}").format(
            document=spec.document, service=spec.service.in_language(state.language))]
    heading = _heading(t.gettext, screen, state, index, len(spec.items))
    rows = tuple(tuple(_page_button(t.gettext, button) for button in row) for row in screen.buttons)
    offers_language = any(button.action.startswith("lang:") for button in screen.flat_buttons)
    text_box = None
    if screen.position == COMMENT and not state.submitted:
        text_box = TextBox(t.gettext("Your comment (optional, up to {limit} characters)").format(
            limit=COMMENT_MAX_LENGTH), text if text is not None else state.comment or "",
            t.gettext("Save comment"))
    return Page(
        language=state.language, title=f"{heading} · {survey.organization}", heading=heading,
        blocks=_blocks(lines), note=note, progress=progress, rows=rows, position=screen.position,
        text_box=text_box, languages=() if offers_language else language_switch(state.language),
        labels=chrome_labels(state.language),
    )


def language_switch(current: str) -> tuple[PageButton, ...]:
    return tuple(PageButton(LANGUAGE_NAMES[code], f"lang:{code}") for code in LANGUAGES if code != current)


def chrome_labels(language: str) -> dict[str, str]:
    """The texts every page carries around its content."""
    _ = translator(language).gettext
    return {
        "progress": _("Progress"),
        "language": _("Language"),
        "privacy": _("Privacy: this page keeps one random number in a cookie so that you can leave and "
                     "continue later. No name, phone number or account is asked for or stored."),
        "survey": _("Customer survey"),
    }


def notice_page(language: str, notice: Notice, back: str | None = None, text: str | None = None) -> Page:
    """A clear page for something the visitor cannot do (`text` instead of the notice's own words);
    `back` links to the survey page."""
    _ = translator(language).gettext
    heading, own_text = _NOTICES[notice](_)
    link = (_("Back to the survey"), back) if back else None
    return Page(language=language, title=heading, heading=heading, blocks=_blocks((text or own_text).split("\n")),
                link=link, labels=chrome_labels(language))


_HEADINGS = {WELCOME: N_("Customer survey"), REVIEW: N_("Check your answers"), COMMENT: N_("Your comment")}


def _heading(_: Gettext, screen: Screen, state: RespondentState, index: int | None, total: int) -> str:
    if index is not None:
        return _("Question {number} of {total}").format(number=index + 1, total=total)
    if screen.position == DONE and state.submitted:
        return _("Thank you")
    heading = _HEADINGS.get(screen.position, _HEADINGS[WELCOME])
    return _(heading)


def _page_button(_: Gettext, button: Button) -> PageButton:
    if button.action.startswith("go:"):
        return PageButton(button.text, button.action, _("Change the answer to question"))
    return PageButton(button.text, button.action)


def _blocks(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    """Paragraphs: runs of lines between empty lines."""
    blocks: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(tuple(current))
            current = []
    return tuple(blocks)


_NOTICES: dict[Notice, Callable[[Gettext], tuple[str, str]]] = {
    Notice.UNKNOWN_LINK: lambda _: (
        _("Link not valid"),
        _("This survey link is not valid. Please check that you opened the whole link you received, "
          "or ask the organization for a new one.")),
    Notice.LINK_USED: lambda _: (
        _("Link already used"),
        _("This personal link has already been used to answer the survey, so it cannot be used again. "
          "If you did not answer yourself, please ask the organization for a new link.")),
    Notice.CLOSED: lambda _: (_("Survey closed"), ""),
    Notice.NOT_YET_OPEN: lambda _: (_("Survey not open yet"), ""),
    Notice.NOT_OFFERED: lambda _: (
        _("Choice not available"),
        _("That choice is not on this page, so nothing was changed. Your answers are kept.")),
    Notice.FORM_EXPIRED: lambda _: (
        _("Page out of date"),
        _("This form could not be checked (it is out of date, or it was sent from another site), so "
          "nothing was changed. Your answers are kept: please go back to the survey and try again.")),
    Notice.DAMAGED_COOKIE: lambda _: (
        _("Please start again"),
        _("Your browser sent a damaged survey cookie. It has been replaced; answers given with the damaged "
          "cookie cannot be found any more.")),
    Notice.NO_COOKIE: lambda _: (
        _("Cookies needed"),
        _("This survey needs one cookie to remember your answers. Please allow cookies for this site and "
          "open the link again.")),
    Notice.TOO_MANY: lambda _: (
        _("Too many requests"),
        _("Too many requests came from your network in a short time. Please wait a minute, then try again. "
          "Your answers are kept.")),
    Notice.TOO_LARGE: lambda _: (
        _("Too much text"),
        _("What you sent is too large to be read. A comment may have at most {limit} characters.")
        .format(limit=COMMENT_MAX_LENGTH)),
    Notice.NOT_FOUND: lambda _: (
        _("Page not found"),
        _("There is no page at this address. Please open the survey link you received.")),
    Notice.FAILED: lambda _: (
        _("Something went wrong"),
        _("Sorry, something went wrong on our side. Your answers are saved; please try again in a moment.")),
}
