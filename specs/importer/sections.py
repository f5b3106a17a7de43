"""Find the parts of a spec document by their headings, skipping the table of contents.

The table of contents at the top repeats the headings (with page numbers); a heading counts only
where it is not a contents entry, and where a heading occurs more than once the last one is the
body's (the contents always come first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from specs.importer.normalize import fold

HEADINGS: dict[str, re.Pattern[str]] = {
    "references": re.compile(r"^(?:2\.?\s*)?规范性引用文件$"),
    "terms": re.compile(r"^(?:3\.?\s*)?术语和定义$"),
    "criteria": re.compile(r"^(?:4\.?\s*)?评价标准$"),
    "method": re.compile(r"^(?:5\.?\s*)?服务认证评价方法$"),
    "scale": re.compile(r"^(?:5\.1\.?\s*)?服务特性测评$"),
    "audit": re.compile(r"^(?:5\.2\.?\s*)?管理要求审核$"),
    "result": re.compile(r"^(?:5\.3\.?\s*)?认证结果$"),
    "appendix 1": re.compile(r"^附录\s*1(?!\d)"),
    "appendix 2": re.compile(r"^附录\s*2(?!\d)"),
    "appendix 3": re.compile(r"^附录\s*3(?!\d)"),
    "appendix 4": re.compile(r"^附录\s*4(?!\d)"),
}
_CONTENTS = re.compile(r"^目\s*录$")
_CONTENTS_ENTRY = re.compile(r"(?:\t|\s{2,}|[.…·]{2,})\s*\d{1,3}$")


@dataclass(frozen=True)
class Section:
    heading: str
    lines: list[str]


def find_sections(lines: list[str]) -> dict[str, Section]:
    """The sections found, by key of `HEADINGS`; each runs to the next heading found."""
    skip = _contents_lines(lines)
    starts: dict[str, int] = {}
    for index, line in enumerate(lines):
        if index in skip or _CONTENTS_ENTRY.search(line):
            continue
        text = heading_text(line)
        for key, pattern in HEADINGS.items():
            if pattern.match(text):
                starts[key] = index
    ordered = sorted(starts.items(), key=lambda pair: pair[1])
    sections = {}
    for position, (key, start) in enumerate(ordered):
        end = ordered[position + 1][1] if position + 1 < len(ordered) else len(lines)
        sections[key] = Section(heading=lines[start].replace("\t", " ").strip(), lines=lines[start + 1 : end])
    return sections


def heading_text(line: str) -> str:
    return " ".join(fold(line).replace("\t", " ").split())


def _contents_lines(lines: list[str]) -> set[int]:
    """Indexes of the table of contents: the 目录 line and the entries (or blanks) that follow it."""
    for start, line in enumerate(lines):
        if _CONTENTS.match(heading_text(line)):
            skip = {start}
            for index in range(start + 1, len(lines)):
                if lines[index] and not _CONTENTS_ENTRY.search(lines[index]):
                    break
                skip.add(index)
            return skip
    return set()
