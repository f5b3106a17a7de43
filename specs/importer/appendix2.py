"""Appendix 2: the description of each management level, per requirement group.

A row holds the group cell, the requirement cell and the texts of levels 1..5; the texts are on
the group's first row that has any, each led by a marker (① ② ③) that is dropped. Where the
document leaves a group's cells empty, the group takes the texts of the last group that has them,
and the summary says so.
"""

from __future__ import annotations

import re

from specs.importer.appendix3 import REQUIREMENT
from specs.importer.findings import Findings
from specs.importer.normalize import cells_of, fold
from specs.importer.sections import Section

WHERE = "附录 2"
_MARKER = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]\s*")
_SENTENCE_END = re.compile(r"[。.!！?？;；)）]$")


def read_level_descriptions(
    section: Section | None, group_codes: list[str], findings: Findings
) -> dict[str, list[str]]:
    """Five level texts for each of `group_codes` (the groups of Appendix 3)."""
    if section is None:
        findings.problem(WHERE, "not found (no heading 附录 2 after the table of contents)")
        return {}
    found: dict[str, list[str]] = {}
    for line in section.lines:
        cells = cells_of(line)
        for index, cell in enumerate(cells):
            match = REQUIREMENT.match(fold(cell))
            if match is None:
                continue
            texts = [_MARKER.sub("", text).strip() for text in cells[index + 1 : index + 6]]
            texts += [""] * (5 - len(texts))
            if any(texts):
                found.setdefault(match.group(1), texts)
            break
    return _per_group(found, group_codes, findings)


def _per_group(
    found: dict[str, list[str]], group_codes: list[str], findings: Findings
) -> dict[str, list[str]]:
    descriptions: dict[str, list[str]] = {}
    borrowers: dict[str, list[str]] = {}
    source: str | None = None
    for code in group_codes:
        texts = found.get(code)
        if texts is None:
            if source is None:
                findings.problem(
                    WHERE, f"group {code} has no level descriptions and no group above it has any"
                )
                continue
            descriptions[code] = descriptions[source]
            borrowers.setdefault(source, []).append(code)
            continue
        empty = [str(level) for level, text in enumerate(texts, start=1) if not text]
        if empty:
            findings.problem(WHERE, f"group {code} has no description for level {', '.join(empty)}")
        cut = [text for text in texts if text and not _SENTENCE_END.search(text)]
        if cut:
            findings.note(
                WHERE, f"group {code}: {len(cut)} level texts look cut short (e.g. {cut[0]!r}); check them"
            )
        descriptions[code] = texts
        source = code
    for source_code, codes in borrowers.items():
        findings.note(
            WHERE,
            f"the document leaves the level descriptions of group {', '.join(codes)} empty; "
            f"they reuse those of group {source_code}",
        )
    return descriptions
