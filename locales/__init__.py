"""Gettext catalogs (zh_CN, en) and the translator every layer uses for text a person reads.

Message ids are English. `translator("zh")` answers in Chinese, `translator("en")` in English;
a message missing from a catalog falls back to its English id.

Texts are marked for `pybabel extract` (docs/translations.md): `_("...")` / `gettext` / `ngettext`
where the text is translated, `N_("...")` where it is defined ahead of time (a module constant)
and translated later with `_(constant)`.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent
DOMAIN = "messages"
LANGUAGES = ("zh", "en")
_CATALOG_DIRS = {"zh": "zh_CN", "en": "en"}


def N_(message: str) -> str:
    """Mark a text defined before its language is known, for extraction; `_()` translates it later."""
    return message


def normalize_language(code: str | None, default: str = "zh") -> str:
    """Map a Telegram language_code (e.g. 'zh-hans', 'en-US') to one of LANGUAGES."""
    if code:
        base = code.lower().replace("_", "-").split("-")[0]
        if base in LANGUAGES:
            return base
    return default if default in LANGUAGES else LANGUAGES[0]


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The catalog for `language` ('zh' or 'en'; anything else is normalized first)."""
    folder = _CATALOG_DIRS[normalize_language(language)]
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[folder], fallback=True)
