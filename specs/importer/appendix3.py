"""Appendix 3: the management requirements with their weights, and the management levels.

A row holds the group cell ("1. 组织所处环境", only on the group's first row), the requirement
cell ("1.1. 理解组织及其所处的环境"), its 总分值 (the weight, the level-5 score) and the scores of
levels 1..5. The 说明 below the table gives the level thresholds:
"① 20分 ≤ 总分 < 45分，一级" … "⑤ 105分 ≤ 总分 ≤ 145分，五级"; the last bound is the maximum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specs.importer.findings import Findings, as_int
from specs.importer.front import CHINESE_NUMERALS
from specs.importer.normalize import cells_of, fold
from specs.importer.sections import Section

WHERE = "附录 3"
REQUIREMENT = re.compile(r"^(\d+)\s*\.\s*(\d+)\s*\.?\s*([^\d\s./].*)$")
GROUP = re.compile(r"^(\d+)\s*\.?\s*([^\d\s./].*)$")
_LESS_EQUAL = r"(?:≤|<=|⩽)"
_LEVEL_RULE = re.compile(
    rf"(\d+)\s*分?\s*{_LESS_EQUAL}\s*总分\s*(<|{_LESS_EQUAL})\s*(\d+)\s*分?\s*,?\s*([一二三四五])\s*级"
)


@dataclass
class RequirementRow:
    code: str
    name: str
    weight: int


@dataclass
class GroupRow:
    code: str
    name: str | None
    requirements: list[RequirementRow] = field(default_factory=list)


@dataclass(frozen=True)
class LevelRule:
    level: int
    label: str
    min_total: int


@dataclass(frozen=True)
class ManagementScale:
    levels: list[LevelRule]
    maximum: int | None


def read_requirements(section: Section | None, findings: Findings) -> list[GroupRow]:
    if section is None:
        findings.problem(WHERE, "not found (no heading 附录3 after the table of contents)")
        return []
    groups: dict[str, GroupRow] = {}
    for line in section.lines:
        cells = cells_of(line)
        folded = [fold(cell) for cell in cells]
        for index, text in enumerate(folded):
            match = REQUIREMENT.match(text)
            if match is None:
                continue
            _add_requirement(cells, folded, index, match, groups, findings)
            break
    _check(list(groups.values()), findings)
    return list(groups.values())


def read_management_scale(
    section: Section | None, requirement_weights: int, findings: Findings
) -> ManagementScale:
    """The level thresholds of the 说明 below the Appendix 3 table, and the maximum total."""
    where = f"{WHERE} 说明"
    if section is None:
        findings.problem(where, "management levels not found (Appendix 3 is missing)")
        return ManagementScale([], None)
    levels: dict[int, LevelRule] = {}
    maximum = None
    for line in section.lines:
        folded = fold(line)
        for match in _LEVEL_RULE.finditer(folded):
            level = CHINESE_NUMERALS[match.group(4)]
            label = line[match.start(4) : match.end(0)]
            levels.setdefault(level, LevelRule(level, label, int(match.group(1))))
            if level == 5 and match.group(2) != "<":
                maximum = int(match.group(3))
    for level in range(1, 6):
        if level not in levels:
            findings.problem(
                where, f"the rule for management level {level} (e.g. 20分 ≤ 总分 < 45分，一级) not found"
            )
    if maximum is None:
        findings.problem(where, "the maximum management total (… ≤ 总分 ≤ 145分，五级) not found")
    elif requirement_weights and maximum != requirement_weights:
        findings.problem(
            where, f"the maximum total is {maximum} but the requirement weights sum to {requirement_weights}"
        )
    return ManagementScale([levels[level] for level in sorted(levels)], maximum)


def _add_requirement(
    cells: list[str],
    folded: list[str],
    index: int,
    match: re.Match[str],
    groups: dict[str, GroupRow],
    findings: Findings,
) -> None:
    group_code, code = match.group(1), f"{match.group(1)}.{match.group(2)}"
    name = cells[index][match.start(3) : match.end(3)]
    group = groups.setdefault(group_code, GroupRow(group_code, None))
    group_cell = GROUP.match(folded[index - 1]) if index > 0 else None
    if group_cell is not None:
        if group_cell.group(1) != group_code:
            findings.problem(WHERE, f"requirement {code} is listed under group {group_cell.group(1)}")
        elif group.name is None:
            group.name = cells[index - 1][group_cell.start(2) : group_cell.end(2)]
    weight = as_int(cells[index + 1]) if index + 1 < len(cells) else None
    if weight is None:
        findings.problem(WHERE, f"requirement {code} {name} has no 总分值 (weight)")
        return
    level_scores = [as_int(cell) for cell in cells[index + 2 : index + 7]]
    if len(level_scores) == 5 and level_scores[-1] is not None and level_scores[-1] != weight:
        findings.problem(
            WHERE, f"requirement {code}: 五级 score {level_scores[-1]} differs from its 总分值 {weight}"
        )
    group.requirements.append(RequirementRow(code, name, weight))


def _check(groups: list[GroupRow], findings: Findings) -> None:
    if not groups:
        findings.problem(WHERE, "no requirements found")
        return
    group_numbers = [int(group.code) for group in groups]
    for number in range(1, max(group_numbers) + 1):
        if number not in group_numbers:
            findings.problem(WHERE, f"group {number} not found")
    for group in groups:
        if group.name is None:
            findings.problem(
                WHERE, f"group {group.code} has no name cell (e.g. '{group.code}. 组织所处环境')"
            )
        numbers = [int(r.code.split(".")[1]) for r in group.requirements]
        for number in range(1, max(numbers, default=0) + 1):
            if number not in numbers:
                findings.problem(WHERE, f"requirement {group.code}.{number} not found")
