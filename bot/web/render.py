"""Pages to HTML: the one Jinja2 template with autoescape on."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape

from bot.web.templates import PAGE
from conversations.web_page import HTML_LANGUAGES, Page

CSS_PATH = "/static/site.css"
_ENVIRONMENT = Environment(loader=DictLoader({"page.html": PAGE}), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)
_TEMPLATE = _ENVIRONMENT.get_template("page.html")


def render(page: Page) -> str:
    return _TEMPLATE.render(page=page, css=CSS_PATH, languages=HTML_LANGUAGES)
