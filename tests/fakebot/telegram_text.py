"""How Telegram turns a formatted message into the text a person sees, and the limits it enforces."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

SUPPORTED_HTML_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote", "tg-time",
})


class EntityParseError(ValueError):
    """The text cannot be parsed in the given parse mode (Telegram answers 400)."""


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SUPPORTED_HTML_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}"')
        self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise EntityParseError(f'Unmatched end tag "{tag}"')
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.visible.append(data)


_STRAY_LESS_THAN = re.compile(r"<(?!/?[A-Za-z])")


def _visible_html(text: str) -> str:
    stray = _STRAY_LESS_THAN.search(text)
    if stray is not None:
        raise EntityParseError(f'Unexpected "<" at byte offset {len(text[:stray.start()].encode())}')
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1]}"')
    return "".join(parser.visible)


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_V2_MARKER = re.compile(r"(?<!\\)(\|\||[*_~`])")
_MARKDOWN_V2_ESCAPE = re.compile(r"\\(.)")


def _visible_markdown(text: str) -> str:
    """A rough rendering, good enough to read the words of a Markdown message."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_V2_MARKER.sub("", text)
    return _MARKDOWN_V2_ESCAPE.sub(r"\1", text)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as the person reads it: tags and markers removed, entities unescaped."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _visible_html(text)
    if mode in {"markdown", "markdownv2"}:
        return _visible_markdown(text)
    return text


def oversized_callback_data(reply_markup: object) -> str | None:
    """The first callback_data longer than Telegram allows, if any."""
    if not isinstance(reply_markup, dict):
        return None
    for row in reply_markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
                return str(data)
    return None
