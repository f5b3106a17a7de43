"""The gettext catalogs are complete: every text the code marks for translation is in every catalog.

The extraction here is the one docs/translations.md runs with `pybabel extract`: the mapping in
locales/babel.cfg over the packages bot, conversations, scoring and specs, with the keywords
`_ gettext ngettext:1,2 N_` and no others. Message ids are English, so the en catalog may leave a
msgstr empty (gettext then shows the id); every other catalog needs a translation that is not fuzzy.
Each .mo must hold what compiling its .po gives now (`pybabel compile -d locales -D messages`).
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from locales import _CATALOG_DIRS, DOMAIN, LANGUAGES, LOCALES_DIR

ROOT = LOCALES_DIR.parent
SOURCE_PACKAGES = ("bot", "conversations", "scoring", "specs")
KEYWORDS = parse_keywords(["_", "gettext", "ngettext:1,2", "N_"])
SOURCE_LANGUAGE = "en"  # the language of the message ids: an empty msgstr shows the id itself
CATALOG_PATHS = sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _extract() -> Catalog:
    with (LOCALES_DIR / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "locales/babel.cfg")
    template = Catalog()
    for package in SOURCE_PACKAGES:
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / package, method_map, options_map, keywords=KEYWORDS):
            template.add(message, None, [(f"{package}/{filename}", lineno)], auto_comments=comments,
                         context=context)
    return template


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _extract()


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, domain=DOMAIN)


def _language(path: Path) -> str:
    return path.parents[1].name


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string or "",)


def _where(message: Message) -> str:
    return ", ".join(sorted({f"{file}:{line}" for file, line in message.locations}))


def _fields(text: str) -> set[str]:
    return {f"{{{name}{':' + spec if spec else ''}}}" for _, name, spec, _ in Formatter().parse(text)
            if name is not None}


def test_extraction_finds_the_marked_texts(template: Catalog) -> None:
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in _messages(template)}
    assert len(ids) > 100
    # a text in a function call, an ngettext plural, an N_() constant of the command menu
    assert {"Please tap one of the buttons below.", "It takes about {minutes} minute: {count} questions, "
            "one tap each.", "Start or continue the survey"} <= ids


def test_every_language_has_a_catalog() -> None:
    on_disk = {_language(path) for path in CATALOG_PATHS}
    assert set(_CATALOG_DIRS) == set(LANGUAGES)
    assert set(_CATALOG_DIRS.values()) == on_disk


@pytest.mark.parametrize("po_path", CATALOG_PATHS, ids=_language)
def test_catalog_has_every_extracted_message(template: Catalog, po_path: Path) -> None:
    catalog = _read_po(po_path)
    needs_translation = _language(po_path) != SOURCE_LANGUAGE
    problems = []
    for wanted in _messages(template):
        found = catalog.get(wanted.id)
        if found is None:
            problems.append(f"missing: {wanted.id!r} ({_where(wanted)})")
        elif found.fuzzy and any(_strings(found)):
            problems.append(f"fuzzy (not compiled): {wanted.id!r}")
        elif needs_translation and not all(_strings(found)):
            problems.append(f"not translated: {wanted.id!r} ({_where(wanted)})")
    assert not problems, (f"{po_path.relative_to(ROOT)} lacks {len(problems)} message(s); run the extract and "
                          "update steps of docs/translations.md, translate, compile:\n" + "\n".join(problems))


@pytest.mark.parametrize("po_path", CATALOG_PATHS, ids=_language)
def test_translations_keep_the_placeholders(po_path: Path) -> None:
    problems = []
    for message in _messages(_read_po(po_path)):
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        wanted = set().union(*(_fields(text) for text in ids))
        for string in filter(None, _strings(message)):
            fields = _fields(string)
            # a plural form may leave out a value (e.g. "one question"); it must not invent one
            if fields - wanted or (not message.pluralizable and fields != wanted):
                problems.append(f"{ids[0]!r}: {sorted(fields)} in {string!r}, the id has {sorted(wanted)}")
    assert not problems, f"{po_path.relative_to(ROOT)}:\n" + "\n".join(problems)


def _compiled(catalog: Catalog) -> dict[object, object]:
    def key(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(message.context, key(message.id)): key(message.string) for message in _messages(catalog)}


@pytest.mark.parametrize("po_path", CATALOG_PATHS, ids=_language)
def test_mo_is_compiled_from_the_current_po(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run pybabel compile -d locales -D messages"
    fresh = io.BytesIO()
    write_mo(fresh, _read_po(po_path))
    fresh.seek(0)
    with mo_path.open("rb") as mo_file:
        on_disk = read_mo(mo_file)
    expected = read_mo(fresh)
    assert on_disk.plural_forms == expected.plural_forms
    stale, wanted = _compiled(on_disk), _compiled(expected)
    differences = sorted((str(key[1]) for key in stale.keys() ^ wanted.keys()), key=str)
    differences += sorted(str(key[1]) for key in stale.keys() & wanted.keys() if stale[key] != wanted[key])
    assert not differences, (f"{mo_path.relative_to(ROOT)} does not match its .po; run "
                             "pybabel compile -d locales -D messages. Differs in:\n" + "\n".join(differences))


def _gettext_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in KEYWORDS and node.args:
                yield node


def test_marked_texts_are_plain_literals() -> None:
    """`_(f"...")`, `_("..." + x)` or `_("...".format())` extract nothing usable: the catalog key is
    the text before formatting. Formatting goes after the call: `_("Hello {name}").format(name=name)`."""
    problems = []
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for call in _gettext_calls(ast.parse(path.read_text(encoding="utf-8"))):
                for argument in call.args[:2]:
                    if isinstance(argument, ast.JoinedStr | ast.BinOp | ast.Call):
                        problems.append(f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)[:100]}")
    assert not problems, "\n".join(problems)
