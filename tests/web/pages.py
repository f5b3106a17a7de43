"""Reading the survey page as a phone does, over HTTP: `Phone(session, base_url)` keeps its cookies,
follows no redirect by itself, and presses a button of the page on screen by a part of its label."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp


@dataclass
class Parsed:
    """The parts of a page the tests look at."""

    lang: str | None = None
    title: str = ""
    h1: str = ""
    note: str = ""
    text: str = ""
    forms: list[dict[str, Any]] = field(default_factory=list)
    textarea: str | None = None
    links: list[str] = field(default_factory=list)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, action) of every button, in page order."""
        return [button for form in self.forms for button in form["buttons"]]

    def form_of(self, action: str) -> dict[str, Any]:
        return next(form for form in self.forms if any(value == action for _, value in form["buttons"]))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Parsed()
        self._stack: list[str] = []
        self._button: list[str] | None = None
        self._value = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = attributes.get("lang")
        elif tag == "form":
            self.page.forms.append({"action": attributes.get("action"), "fields": {}, "buttons": []})
        elif tag == "input" and attributes.get("type") == "hidden":
            self.page.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")
        elif tag == "button":
            self._button, self._value = [], attributes.get("value", "")
        elif tag == "textarea":
            self.page.textarea = ""
        elif tag == "a":
            self.page.links.append(attributes.get("href", ""))
        elif tag == "p" and attributes.get("class") == "note":
            self._stack.append("note")
            return
        if tag not in ("input", "br", "meta", "link"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            self.page.forms[-1]["buttons"].append(("".join(self._button).strip(), self._value))
            self._button = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        where = self._stack[-1] if self._stack else ""
        if self._button is not None:
            self._button.append(data)
        if where == "title":
            self.page.title += data
        elif where == "h1":
            self.page.h1 += data
        elif where == "note":
            self.page.note += data
        elif where == "textarea":
            self.page.textarea = (self.page.textarea or "") + data
        if where not in ("title", "style", "script"):
            self.page.text += data


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    return reader.page


@dataclass
class Answer:
    status: int
    html: str
    headers: Any
    location: str | None

    @property
    def page(self) -> Parsed:
        return parse(self.html)


class Phone:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, language: str = "en") -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.headers = {"Accept-Language": language}
        self.last: Answer | None = None

    async def get(self, path: str) -> Answer:
        async with self.session.get(self.base_url + path, headers=self.headers, allow_redirects=False) as response:
            self.last = Answer(response.status, await response.text(), response.headers,
                               response.headers.get("Location"))
            self.path = path.split("?")[0]
        return self.last

    async def post(self, path: str, data: dict[str, str]) -> Answer:
        async with self.session.post(self.base_url + path, data=data, headers=self.headers,
                                     allow_redirects=False) as response:
            return Answer(response.status, await response.text(), response.headers, response.headers.get("Location"))

    async def press(self, label: str, text: str | None = None, follow: bool = True, **overrides: str) -> Answer:
        """Press the first button of the page on screen whose label holds `label` (or whose action is
        `label`); then GET where the 303 points, as a browser does."""
        assert self.last is not None
        page = self.last.page
        action = next(value for shown, value in page.buttons if label == value or label in shown)
        form = page.form_of(action)
        data = {**form["fields"], "b": action, **({"t": text} if text is not None else {}), **overrides}
        answer = await self.post(form["action"], data)
        if answer.status == 303 and follow:
            assert answer.location is not None
            return await self.get(answer.location)
        if answer.status != 303 and follow:
            self.last = answer
        return answer

    async def answer_all(self, rating: int = 4, start: bool = True) -> Answer:
        """From the welcome page: Start, then every question with `rating`, up to the review."""
        if start:
            await self.press("start")
        while re.search(r"\d+ / \d+", self.last.page.text if self.last else ""):
            await self.press(f"r:{rating}")
        assert self.last is not None
        return self.last
