"""The customer's survey on the web page: the same dialogue, storage and notices as in Telegram, for a
browser known by the random token in its cookie (only the token's hash is stored).

    web = WebSurvey(sessions, catalog, respondents)
    reply = await web.show(visitor, Where("/s/abc", code="abc"))            # GET
    reply = await web.act(visitor, Where("/s/abc", code="abc"), form)       # POST: a redirect or a clear page

Rules of the channel, all here: a GET never stores anything (a link preview must not join anyone); the
first POST joins the survey (and takes a personal link, once); every form carries a CSRF token derived
from the cookie's token; a POST applies only an action the page on screen offers; a POST that did its
work answers with a redirect to the page (POST-redirect-GET), and a note the dialogue added (e.g.
"your comment is saved") rides along sealed with the token; after submitting, the link shows the
thank-you and nothing changes any more.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from weakref import WeakValueDictionary

from bot.adapters import storage
from bot.adapters.storage import Sessions
from bot.adapters.storage import web as web_storage
from bot.services.pinned_specs import pinned_spec
from bot.services.ports import Clock, utc_now
from bot.services.respondent import Reply, RespondentService
from conversations.invite import Availability, availability
from conversations.respondent import Outcome, current_screen, handle_action, handle_text, new_state
from conversations.respondent_screens import submitted_answers_screen, thanks_screen
from conversations.respondent_state import COMMENT, RespondentState, SurveyInfo
from conversations.screens import Screen
from conversations.web_page import SEND_COMMENT, Notice, Page, notice_page, screen_page
from locales import LANGUAGES, normalize_language
from specs import SpecCatalog

TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LANGUAGE_RANGE = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*")
LANGUAGE_ACTIONS = frozenset(f"lang:{code}" for code in LANGUAGES)
AFTER_SUBMIT_ACTIONS = frozenset({"view", "done"})
SHOW_ANSWERS = "view=answers"  # the query of the page that lists a submitted respondent's answers


def new_token() -> str:
    """A browser's (or a personal link's) secret: 256 random bits, 43 URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def plausible_token(token: str | None) -> bool:
    return token is not None and _TOKEN.fullmatch(token) is not None


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The form token of a browser: only a page served to that browser's cookie can carry it."""
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()


def seal_note(token: str, note: str) -> str:
    """A note for the page after a redirect, readable only with the browser's token."""
    data = base64.urlsafe_b64encode(note.encode()).decode().rstrip("=")
    return f"{data}.{_note_mac(token, data)}"


def open_note(token: str, sealed: str | None) -> str | None:
    if not sealed or "." not in sealed:
        return None
    data, _, mac = sealed.rpartition(".")
    if not hmac.compare_digest(mac, _note_mac(token, data)):
        return None
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


def _note_mac(token: str, data: str) -> str:
    return hmac.new(token.encode(), b"note:" + data.encode(), hashlib.sha256).hexdigest()[:32]


def preferred_language(accept_language: str | None, default: str) -> str:
    """The first of LANGUAGES by the browser's Accept-Language (highest q first), else `default`."""
    ranked = []
    for order, part in enumerate((accept_language or "")[:500].split(",")):
        match = _LANGUAGE_RANGE.fullmatch(part)
        if match is None:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        ranked.append((-weight, order, match.group(1).lower()))
    for weight, _, code in sorted(ranked):
        if weight < 0 and code in LANGUAGES:
            return code
    return normalize_language(default)


@dataclass(frozen=True)
class Visitor:
    """The browser behind a request: its token (a new one when it sent none or a damaged one), and the
    language its Accept-Language prefers."""

    token: str
    language: str
    new: bool = False  # the shell sets the cookie
    damaged: bool = False

    @classmethod
    def of(cls, cookie: str | None, accept_language: str | None, default_language: str) -> Visitor:
        language = preferred_language(accept_language, default_language)
        if plausible_token(cookie):
            assert cookie is not None
            return cls(cookie, language)
        return cls(new_token(), language, new=True, damaged=cookie is not None)


@dataclass(frozen=True)
class Where:
    """The page asked for: its path, and the survey's invite code or a personal link's token."""

    path: str
    code: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Form:
    """A posted form: the CSRF token, the position of the page it was on, the button, the comment box."""

    csrf: str
    position: str
    action: str
    text: str | None = None


@dataclass(frozen=True)
class WebReply:
    """A page to show with its HTTP status, or a redirect (303) with a note for the next page."""

    status: int = 200
    page: Page | None = None
    redirect: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class _Found:
    visit: web_storage.WebVisit
    link_id: int | None = None


class _Held:
    """What the dialogue made of a step, kept beside the storage's reply."""

    outcome: Outcome | None = None
    info: SurveyInfo | None = None

    def keep(self, info: SurveyInfo, outcome: Outcome) -> Outcome:
        self.info, self.outcome = info, outcome
        return outcome


class WebSurvey:
    def __init__(self, sessions: Sessions, catalog: SpecCatalog, respondents: RespondentService,
                 clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._respondents = respondents
        self._clock = clock
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def show(self, visitor: Visitor, where: Where, sealed_note: str | None = None,
                   answers: bool = False) -> WebReply:
        """GET: the visitor's page of the survey; stores nothing."""
        found = await self._find(visitor, where)
        if isinstance(found, WebReply):
            return found
        if visitor.damaged:
            return WebReply(400, notice_page(visitor.language, Notice.DAMAGED_COOKIE, where.path))
        survey, respondent_id = found.visit.survey, found.visit.respondent_id
        if respondent_id is None:
            closed = self._closed(survey, visitor.language, 200)
            if closed is not None:
                return closed
            spec = await pinned_spec(self._sessions, self._catalog, survey)
            assert spec is not None  # checked by _find
            info, state = SurveyInfo(survey.organization, spec), new_state(visitor.language)
            return self._page(visitor, where, screen_page(info, state, current_screen(info, state)))
        held = _Held()
        reply = await self._respondents.step_by_id(
            respondent_id, lambda info, state: held.keep(info, Outcome(state, _page_screen(info, state, answers))))
        if reply.survey_id is None or held.outcome is None or held.info is None:
            return self._notice_reply(reply, visitor.language, 200)
        note = open_note(visitor.token, sealed_note)
        state = held.outcome.state
        return self._page(visitor, where, screen_page(held.info, state, reply.screen, note))

    async def act(self, visitor: Visitor, where: Where, form: Form) -> WebReply:
        """POST: one step of the dialogue; a redirect to the page, or a clear page when refused."""
        found = await self._find(visitor, where)
        if isinstance(found, WebReply):
            return found
        if visitor.new:
            notice = Notice.FORM_EXPIRED if visitor.damaged else Notice.NO_COOKIE
            return WebReply(403, notice_page(visitor.language, notice, where.path))
        if not hmac.compare_digest(form.csrf.encode(), csrf_token(visitor.token).encode()):
            return WebReply(403, notice_page(visitor.language, Notice.FORM_EXPIRED, where.path))
        respondent_id = found.visit.respondent_id
        if respondent_id is None:
            joined = await self._join(visitor, found, where)
            if isinstance(joined, WebReply):
                return joined
            respondent_id = joined
        async with self._lock(respondent_id):
            held = _Held()
            reply = await self._respondents.step_by_id(
                respondent_id, lambda info, state: held.keep(info, _web_step(info, state, form)))
        return self._after_step(visitor, where, form, reply, held)

    def _after_step(self, visitor: Visitor, where: Where, form: Form, reply: Reply, held: _Held) -> WebReply:
        outcome, info = held.outcome, held.info
        if reply.survey_id is None or outcome is None or info is None:
            return self._notice_reply(reply, visitor.language, 403)
        language = outcome.state.language
        if outcome.invalid:
            return WebReply(400, notice_page(language, Notice.NOT_OFFERED, where.path))
        if form.action == SEND_COMMENT and not outcome.comment_saved:  # refused: the text is kept
            note = _note_of(outcome.screen, current_screen(info, outcome.state))
            page = screen_page(info, outcome.state, current_screen(info, outcome.state), note, form.text)
            return self._page(visitor, where, page, 422)
        if form.action in AFTER_SUBMIT_ACTIONS and outcome.state.submitted:
            answers = form.action == "view"
            return WebReply(303, redirect=f"{where.path}?{SHOW_ANSWERS}" if answers else where.path)
        return WebReply(303, redirect=where.path,
                        note=_note_of(outcome.screen, _page_screen(info, outcome.state, False)))

    async def _find(self, visitor: Visitor, where: Where) -> _Found | WebReply:
        """The survey of the page and the visitor's respondent in it, or the page that says why not."""
        unknown = WebReply(404, notice_page(visitor.language, Notice.UNKNOWN_LINK))
        browser = token_hash(visitor.token)
        if where.link is not None:
            if not plausible_token(where.link):
                return unknown
            link = await web_storage.link_visit(self._sessions, token_hash(where.link), browser)
            if link is not None and link.taken_by is not None and link.taken_by != link.respondent_id:
                return WebReply(410, notice_page(visitor.language, Notice.LINK_USED))
            found = None if link is None else _Found(link, link.link_id)
        else:
            visit = await web_storage.visit(self._sessions, where.code or "", browser) if _CODE.fullmatch(
                where.code or "") else None
            found = None if visit is None else _Found(visit)
        if found is None or await pinned_spec(self._sessions, self._catalog, found.visit.survey) is None:
            return unknown
        return found

    async def _join(self, visitor: Visitor, found: _Found, where: Where) -> int | WebReply:
        survey = found.visit.survey
        closed = self._closed(survey, visitor.language, 403)
        if closed is not None:
            return closed
        try:
            return await web_storage.join_web(self._sessions, survey.id, token_hash(visitor.token),
                                              visitor.language, self._clock(), found.link_id)
        except web_storage.LinkTaken:
            return WebReply(410, notice_page(visitor.language, Notice.LINK_USED))

    def _closed(self, survey: storage.SurveyRecord, language: str, status: int) -> WebReply | None:
        notice = self._respondents.availability_notice(survey, language)
        return None if notice is None else self._notice_reply(notice, language, status, survey)

    def _notice_reply(self, reply: Reply, language: str, status: int,
                      survey: storage.SurveyRecord | None = None) -> WebReply:
        """A survey that takes no answers now: closed, or not yet open (the dialogue's own notice)."""
        kind = Notice.CLOSED
        if survey is not None and availability(survey.status, survey.opens_at, survey.closes_at,
                                               self._clock()) is Availability.NOT_YET_OPEN:
            kind = Notice.NOT_YET_OPEN
        return WebReply(status, notice_page(language, kind, text=reply.screen.text))

    def _page(self, visitor: Visitor, where: Where, page: Page, status: int = 200) -> WebReply:
        return WebReply(status, replace(page, csrf=csrf_token(visitor.token), action=where.path))

    def _lock(self, respondent_id: int) -> asyncio.Lock:
        lock = self._locks.get(respondent_id)
        if lock is None:
            lock = self._locks[respondent_id] = asyncio.Lock()
        return lock


def _page_screen(info: SurveyInfo, state: RespondentState, answers: bool) -> Screen:
    """What the page shows for a state: the current screen; once submitted, the thank-you (or, asked
    for, the list of the submitted answers)."""
    if state.submitted:
        return submitted_answers_screen(info, state) if answers else thanks_screen(info, state)
    return current_screen(info, state)


def offered(screen: Screen, state: RespondentState) -> frozenset[str]:
    """The actions a page offers: its buttons, the language switch, the comment box's Send."""
    actions = {button.action for button in screen.flat_buttons} | LANGUAGE_ACTIONS
    if screen.position == COMMENT:
        actions.add(SEND_COMMENT)
    return frozenset(actions | (AFTER_SUBMIT_ACTIONS if state.submitted else set()))


def _web_step(info: SurveyInfo, state: RespondentState, form: Form) -> Outcome:
    """The dialogue's step for a posted form; an action the page on screen does not offer is refused
    (`invalid`) and changes nothing."""
    screen = current_screen(info, state)
    if form.position == screen.position and form.action not in offered(screen, state):
        return Outcome(state, screen, invalid=True)
    if form.action == SEND_COMMENT:
        if screen.position != COMMENT:
            return Outcome(state, screen, invalid=True)
        return handle_text(info, state, form.text or "")
    return handle_action(info, state, form.position, form.action)


def _note_of(shown: Screen, page: Screen) -> str | None:
    """The note the dialogue put above the page's screen (None: the page says it all)."""
    if shown.text == page.text:
        return None
    suffix = "\n\n" + page.text
    return shown.text[:-len(suffix)] if shown.text.endswith(suffix) else shown.text
