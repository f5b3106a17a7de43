"""The cover of a spec document: document number, version and the dates of the revision in force.

A first edition's cover gives one issue date and one effective date (发布日期：20260228, 生效日期：…).
A revised spec's cover may carry its history instead: when it was first issued, how often it was
revised and when the revision in force took effect (首次发布日期：2019-03-01, 第5次修订发布实施,
生效日期：2024-01-01), with or without a 发布日期 of its own. All of these are read:

- `first_issued` and `revision` (the number of revisions) go to the spec file as they are;
- `issued` is the 发布日期, else the date on the revision line, else the 生效日期 (the revision was
  published and put into effect together: 发布实施), else, for a spec never revised, its first issue;
  `effective` is the 生效日期 (or 实施日期), else the issue date. Each such inference is a note.

A cover line that carries a date or revision words but cannot be read is a warning naming the line,
never a refusal: the scoring parts of the document decide whether the spec can be imported. Only a
cover with no readable date at all is refused, as a spec file must say which revision it holds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from specs.importer.findings import Findings
from specs.importer.normalize import fold
from specs.importer.sections import HEADINGS, heading_text

WHERE = "封面"

_LABELLED = re.compile(r"^([^:]{1,16}?)\s*:\s*(.*)$")
_DOCUMENT = re.compile(r"文件编号\s*:\s*(\S.*)$")
_VERSION = re.compile(r"版本号?\s*:\s*(\S+)")
_DATE = re.compile(r"(\d{4})\s*[-年./]?\s*(\d{1,2})\s*[-月./]?\s*(\d{1,2})\s*日?")
_DATE_THEN_WORD = re.compile(_DATE.pattern + r"\s*(首次发布|发布|实施|生效)")
_NTH_REVISION = re.compile(r"第\s*([0-9]+|[一二三四五六七八九十]+)\s*次\s*修订")
_REVISION_COUNT = re.compile(r"^修订次数$")
_FIRST_ISSUED = re.compile(r"^首次发布(?:日期)?$|^首发日期$")
_ISSUED = re.compile(r"^(?:本次)?(?:修订)?发布日期$|^(?:本次)?修订日期$")
_EFFECTIVE = re.compile(r"^(?:本次修订)?(?:生效|实施)日期$")
_OTHER_LABELS = re.compile(r"^(?:受控状态|编制|审核|批准|文件编号|版本号?|编制部门|发布单位)$")
_SUSPECT = re.compile(r"\d{4}|日期|修订|发布|实施|生效")
_CONTENTS = re.compile(r"^目\s*录$")
_SCOPE = re.compile(r"^(?:1\.?\s*)?范围$")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Cover:
    document: str | None = None
    version: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    first_issued: dt.date | None = None
    revision: int | None = None


@dataclass
class _Dates:
    """What the cover lines said, with the line each value came from."""

    found: dict[str, tuple[dt.date | int, str]] = field(default_factory=dict)

    def keep(self, what: str, value: dt.date | int, line: str, findings: Findings) -> None:
        if what not in self.found:
            self.found[what] = (value, line)
        elif self.found[what][0] != value:
            findings.warn(WHERE, f"the line {_shown(line)!r} disagrees with {_shown(self.found[what][1])!r}; "
                                 "the first one is used")

    def date(self, what: str) -> dt.date | None:
        value = self.found.get(what, (None, ""))[0]
        return value if isinstance(value, dt.date) else None

    def count(self) -> int | None:
        value = self.found.get("revision", (None, ""))[0]
        return value if isinstance(value, int) else None

    def line(self, what: str) -> str:
        return _shown(self.found[what][1])


def read_cover(lines: list[str], findings: Findings) -> Cover:
    cover = lines[: cover_end(lines)]
    document = _first_value(cover, _DOCUMENT) or _first_value(lines, _DOCUMENT)
    if document is None:
        findings.problem(WHERE, "文件编号 (document number) not found")
    version = _first_value(cover, _VERSION) or _first_value(lines, _VERSION)
    if version is None:
        findings.problem(WHERE, "版本号 (version) not found")
    dates = _Dates()
    for line in cover:
        if line.strip() and not _read_line(line, dates, findings) and _SUSPECT.search(fold(line)):
            findings.warn(WHERE, f"cannot read the line {_shown(line)!r}")
    issued, effective = _current_revision(dates, findings)
    return Cover(
        document=fold(document) if document else None,
        version=fold(version) if version else None,
        issued=issued,
        effective=effective,
        first_issued=dates.date("first_issued"),
        revision=dates.count(),
    )


def cover_end(lines: list[str]) -> int:
    """The index of the first line after the cover: the table of contents or the first heading."""
    for index, line in enumerate(lines):
        text = heading_text(line)
        if _CONTENTS.match(text) or _SCOPE.match(text) or any(p.match(text) for p in HEADINGS.values()):
            return index
    return len(lines)


def _read_line(line: str, dates: _Dates, findings: Findings) -> bool:
    """Take what a cover line says into `dates`; False when it says nothing this module understands."""
    folded = fold(line.replace("\t", " ")).strip()
    read = False
    if match := _NTH_REVISION.search(folded):
        count = _count(match.group(1))
        if count is None:
            return False
        dates.keep("revision", count, line, findings)
        read = True
        rest = folded[: match.start()] + " " + folded[match.end() :]
        if _DATE.search(rest):
            day = _date(rest, alone=False)
            if day is None:
                return False
            dates.keep("revision_date", day, line, findings)
        return read
    labelled = _LABELLED.match(folded)
    if labelled:
        label, value = "".join(labelled.group(1).split()), labelled.group(2).strip()
        if _REVISION_COUNT.match(label):
            if not value.isdigit():
                return False
            dates.keep("revision", int(value), line, findings)
            return True
        for what, pattern in (("first_issued", _FIRST_ISSUED), ("issued", _ISSUED), ("effective", _EFFECTIVE)):
            if pattern.match(label):
                day = _date(value)
                if day is None:
                    return False
                dates.keep(what, day, line, findings)
                return True
        return bool(_OTHER_LABELS.match(label))
    words = list(_DATE_THEN_WORD.finditer(folded))  # a standard's cover: 2019-03-01发布   2019-10-01实施
    for match in words:
        day = _valid_date(match)
        if day is None:
            return False
        word = match.group(4)
        what = {"首次发布": "first_issued", "发布": "issued"}.get(word, "effective")
        dates.keep(what, day, line, findings)
    return bool(words)


def _current_revision(dates: _Dates, findings: Findings) -> tuple[dt.date | None, dt.date | None]:
    """The issue and effective dates of the revision in force, inferred where the cover gives fewer."""
    issued, effective = dates.date("issued"), dates.date("effective")
    first, revision = dates.date("first_issued"), dates.count()
    if issued is None and (on_revision_line := dates.date("revision_date")) is not None:
        issued = on_revision_line
        findings.note(WHERE, f"the issue date {issued} is the date on the line {dates.line('revision_date')!r}")
    if issued is None and effective is not None:
        issued = effective
        said = f" ({dates.line('revision')})" if revision else ""
        findings.note(WHERE, f"no 发布日期 for the revision in force: its 生效日期 {effective} is taken as "
                             f"the issue date too{said}")
    if issued is None and first is not None and not revision:
        issued = first
        findings.note(WHERE, f"no 发布日期: the spec was never revised, its 首次发布日期 {first} is the issue date")
    if issued is None:
        findings.problem(WHERE, "no readable 发布日期 or 生效日期 (e.g. 发布日期：20260228)")
        return None, None
    if effective is None:
        effective = issued
        findings.note(WHERE, f"no 生效日期: the issue date {issued} is taken as the effective date")
    return issued, effective


def _date(text: str, *, alone: bool = True) -> dt.date | None:
    """The one date in `text` (20260228, 2026-02-28, 2026年2月28日 …), which must stand `alone` unless
    told otherwise; None when there is none, several or an impossible one."""
    matches = list(_DATE.finditer(text))
    if len(matches) != 1 or (alone and _DATE.sub("", text).strip(" 。.,;()（）起")):
        return None
    return _valid_date(matches[0])


def _valid_date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _count(numeral: str) -> int | None:
    """5, 五, 十二, 二十 … as a number (up to 99); None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return _NUMERALS.get(numeral)
    tens, _, units = numeral.partition("十")
    high = _NUMERALS.get(tens) if tens else 1
    low = _NUMERALS.get(units) if units else 0
    return None if high is None or low is None else high * 10 + low


def _first_value(lines: list[str], pattern: re.Pattern[str]) -> str | None:
    for line in lines:
        folded = fold(line.replace("\t", " "))
        match = pattern.search(folded)
        if match:
            return line.replace("\t", " ")[match.start(1) : match.end(1)].strip()
    return None


def _shown(line: str) -> str:
    return " ".join(line.replace("\t", " ").split())
