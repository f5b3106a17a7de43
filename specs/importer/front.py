"""The front of a spec document: cover data, §2 references, the §5.1.1 scale and the §5.3 table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from specs.importer.cover import read_cover
from specs.importer.findings import Findings
from specs.importer.normalize import cells_of, fold
from specs.importer.sections import Section

CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
CIRCLED = {"①": 1, "②": 2, "③": 3, "④": 4, "⑤": 5}

_TITLE = re.compile(r"^(\S.*?)认证技术规范$")
_SPEC_ID = re.compile(r"([A-Z]+[0-9]+[A-Z0-9]*)\s*-\s*\d{4}\s*$")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_REFERENCE_CODE = re.compile(r"^[A-Z][A-Za-z]*(?:/[A-Z]+)?\s*\S*\d")

_NUMBER = r"(\d+(?:\.\d+)?)"
_SCALE_POINT = re.compile(
    rf"^([①②③④⑤])?\s*([^\s:]+?)\s*:\s*{_NUMBER}\s*(?:<|≤|<=|⩽)\s*α\s*(?:<|≤|<=|⩽)\s*{_NUMBER}"
)

_SERVICE_RANGE = re.compile(
    r"(\d+)\s*分?\s*[-—–~至到]+\s*\d+\s*分|(\d+)\s*分?\s*(?:及|或)以上|(?:≥|>=)\s*(\d+)"
)
_LEVEL_AT_LEAST = re.compile(r"([一二三四五])\s*级\s*(?:及|或)以上")
_GRADE = re.compile(r"(?:^|[●•·◆■\s])([^\s●•·◆■:]{1,12}级)\s*:\s*(?:≥|>=|⩾)?\s*(\d+)\s*分?")


@dataclass(frozen=True)
class FrontMatter:
    document: str | None = None
    spec_id: str | None = None
    version: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    first_issued: dt.date | None = None
    revision: int | None = None
    service: str | None = None


@dataclass(frozen=True)
class ScalePoint:
    rating: int
    label: str
    low: float
    high: float


@dataclass(frozen=True)
class CertificationRow:
    grade: str | None
    min_service: int
    min_management_level: int


def read_front_matter(lines: list[str], sections: dict[str, Section], findings: Findings) -> FrontMatter:
    """The cover (cover.py: document number, version, the dates of the revision in force) and the service."""
    cover = read_cover(lines, findings)
    spec_id = None
    if cover.document is not None:
        match = _SPEC_ID.search(cover.document)
        spec_id = match.group(1) if match else None
    return FrontMatter(
        document=cover.document,
        spec_id=spec_id,
        version=cover.version,
        issued=cover.issued,
        effective=cover.effective,
        first_issued=cover.first_issued,
        revision=cover.revision,
        service=_service_name(lines, sections, findings),
    )


def read_references(section: Section | None, findings: Findings) -> list[tuple[str, str]]:
    """(code, title) of each referenced standard in §2; a line may hold several, split by ；."""
    if section is None:
        findings.problem("§2 规范性引用文件", "section not found")
        return []
    references = []
    for line in section.lines:
        for part in re.split(r"[;；]", line.replace("\t", " ")):
            reference = _reference(part.strip())
            if reference is not None:
                references.append(reference)
    if not references:
        findings.note("§2 规范性引用文件", "no referenced standards found")
    return references


def read_scale(section: Section | None, findings: Findings) -> list[ScalePoint]:
    """The five points of the §5.1.1 Likert scale with their α bands."""
    where = "§5.1.1"
    if section is None:
        findings.problem(where, "section 5.1 服务特性测评 not found")
        return []
    points: dict[int, ScalePoint] = {}
    for line in section.lines:
        folded = fold(line)
        match = _SCALE_POINT.match(folded)
        if match is None:
            continue
        rating = CIRCLED[match.group(1)] if match.group(1) else len(points) + 1
        label = line[match.start(2) : match.end(2)]
        points.setdefault(rating, ScalePoint(rating, label, float(match.group(3)), float(match.group(4))))
    for rating in range(1, 6):
        if rating not in points:
            findings.problem(where, f"scale point {rating} (label and α band) not found")
    return [points[rating] for rating in sorted(points)]


def read_certification(section: Section | None, findings: Findings) -> list[CertificationRow]:
    """The §5.3 table as rows from the highest grade down; the lowest row may have no grade.

    The table gives service-score rows with the management level each needs (60—79分 二级及以上 …)
    and, in its text, the grades with their lowest service score (●三星级：80-89分 …). A grade
    needs the level of the highest row that its lowest score reaches; a row below every grade is
    a certification without a grade.
    """
    where = "§5.3"
    if section is None:
        findings.problem(where, "section 5.3 认证结果 not found")
        return []
    rows: list[tuple[int, int]] = []
    grades: dict[str, int] = {}
    for line in section.lines:
        folded = fold(line)
        for match in _GRADE.finditer(folded):
            grades.setdefault(line[match.start(1) : match.end(1)], int(match.group(2)))
        row = _score_row(cells_of(folded))
        if row is not None:
            rows.append(row)
    if not rows:
        findings.problem(
            where, "no rows of service score and management level (e.g. 60—79分 二级及以上) found"
        )
    if not grades:
        findings.problem(where, "no grades (e.g. ●三星级：80-89分) found")
    if not rows or not grades:
        return []
    result = []
    for grade, min_service in sorted(grades.items(), key=lambda pair: -pair[1]):
        levels = [level for low, level in rows if low <= min_service]
        if not levels:
            findings.problem(where, f"no row gives the management level for {grade} (≥{min_service}分)")
            continue
        result.append(CertificationRow(grade, min_service, max(levels)))
    ungraded = sorted(row for row in rows if row[0] < min(grades.values()))
    if len(ungraded) > 1:
        findings.problem(where, "more than one row below the lowest grade; cannot tell which certifies")
    for low, level in ungraded[:1]:
        result.append(CertificationRow(None, low, level))
    return result


def _score_row(cells: list[str]) -> tuple[int, int] | None:
    """(lowest service score, management level) of a §5.3 row, if the row has both."""
    service = level = None
    for cell in cells:
        if service is None and (match := _SERVICE_RANGE.search(cell)):
            service = int(next(group for group in match.groups() if group))
        elif level is None and (match := _LEVEL_AT_LEAST.search(cell)):
            level = CHINESE_NUMERALS[match.group(1)]
    return (service, level) if service is not None and level is not None else None


def _reference(part: str) -> tuple[str, str] | None:
    cjk = _CJK.search(part)
    if cjk is None:
        return None
    code = fold(part[: cjk.start()]).strip()
    if not _REFERENCE_CODE.match(code):
        return None
    return code, part[cjk.start() :].strip().rstrip("。.")


def _service_name(lines: list[str], sections: dict[str, Section], findings: Findings) -> str | None:
    """The service from the title (…服务认证技术规范), else from the Appendix 1 heading."""
    for line in lines:
        match = _TITLE.match(line.strip())
        if match:
            return match.group(1)
    appendix = sections.get("appendix 1")
    if appendix is not None:
        match = re.match(r"^附录\s*1\s*(\S+?)要求", appendix.heading)
        if match:
            return match.group(1)
    findings.problem("封面", "service name (the title …认证技术规范) not found")
    return None
