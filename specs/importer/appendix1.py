"""Appendix 1: the service characteristics and their items (服务能力评价评分表).

A row holds the characteristic cell ("1. 功能性/17分", only on its first row), the item cell
("1.1. 人员/5分", or "制定服务规范/8分" for a characteristic with a single item), the statement
(评价内容) and the weight (单项分值). Header rows repeated after a page break, blank lines and the
score columns are skipped; the table ends at its 总计 row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specs.importer.findings import Findings, as_int
from specs.importer.normalize import cells_of, fold
from specs.importer.sections import Section

WHERE = "附录 1"
_POINTS = r"/\s*(\d[\d ]*)\s*分$"
_CODED_ITEM = re.compile(r"^(\d+)\s*\.\s*(\d+)\s*\.?\s*([^\d\s./].*?)\s*" + _POINTS)
_CHARACTERISTIC = re.compile(r"^(\d+)\s*\.?\s*([^\d\s./].*?)\s*" + _POINTS)
_UNCODED_ITEM = re.compile(r"^([^\d\s./].*?)\s*" + _POINTS)
_ITEM_LIKE = re.compile(r"^\d+\s*\.\s*\d+")
_TOTAL = re.compile(r"^(总计|合计)")


@dataclass
class ItemRow:
    code: str
    dimension: str
    statement: str
    weight: int


@dataclass
class CharacteristicRow:
    code: str
    name: str
    declared_max: int
    items: list[ItemRow] = field(default_factory=list)


def read_items(section: Section | None, findings: Findings) -> list[CharacteristicRow]:
    if section is None:
        findings.problem(WHERE, "not found (no heading 附录 1 after the table of contents)")
        return []
    characteristics: list[CharacteristicRow] = []
    total: int | None = None
    for line in section.lines:
        cells = cells_of(line)
        folded = [fold(cell) for cell in cells]
        if _TOTAL.match(folded[0]):
            total = next((n for n in map(as_int, cells[1:]) if n is not None), None)
            break
        current = _characteristic_in(cells, folded, characteristics)
        _read_item(cells, folded, current, findings)
    _check(characteristics, total, findings)
    return characteristics


def _characteristic_in(
    cells: list[str], folded: list[str], characteristics: list[CharacteristicRow]
) -> CharacteristicRow | None:
    """The characteristic this row belongs to, starting a new one if the row names it."""
    for cell, text in zip(cells, folded, strict=True):
        if _CODED_ITEM.match(text):
            break
        match = _CHARACTERISTIC.match(text)
        if match:
            code = match.group(1)
            if not characteristics or characteristics[-1].code != code:
                name = cell[match.start(2) : match.end(2)]
                characteristics.append(CharacteristicRow(code, name, as_int(match.group(3)) or 0))
            break
    return characteristics[-1] if characteristics else None


def _read_item(
    cells: list[str], folded: list[str], characteristic: CharacteristicRow | None, findings: Findings
) -> None:
    for index, text in enumerate(folded):
        coded = _CODED_ITEM.match(text)
        uncoded = None if coded or _CHARACTERISTIC.match(text) else _UNCODED_ITEM.match(text)
        match = coded or uncoded
        if match is None:
            continue
        if characteristic is None:
            findings.problem(WHERE, f"row {cells[index]!r} comes before any characteristic row")
            return
        code = f"{coded.group(1)}.{coded.group(2)}" if coded else characteristic.code
        if coded and coded.group(1) != characteristic.code:
            findings.problem(WHERE, f"item {code} is listed under characteristic {characteristic.code}")
        if not coded and characteristic.items:
            findings.problem(
                WHERE, f"row {cells[index]!r} of characteristic {characteristic.code} has no code"
            )
        dimension_group = 3 if coded else 1
        dimension = cells[index][match.start(dimension_group) : match.end(dimension_group)]
        stated = as_int(match.group(dimension_group + 1))
        statement = cells[index + 1] if index + 1 < len(cells) else ""
        weight = as_int(cells[index + 2]) if index + 2 < len(cells) else None
        if not statement:
            findings.problem(WHERE, f"item {code} has no statement (评价内容)")
        if weight is None:
            weight = stated
        elif weight != stated:
            findings.problem(
                WHERE, f"item {code}: 单项分值 is {weight} but {dimension}/{stated}分 says {stated}"
            )
        characteristic.items.append(ItemRow(code, dimension, statement, weight or 0))
        return
    if any(_ITEM_LIKE.match(text) for text in folded):
        findings.problem(WHERE, f"row {' | '.join(cell for cell in cells if cell)[:40]!r} could not be read")


def _check(characteristics: list[CharacteristicRow], total: int | None, findings: Findings) -> None:
    if not characteristics:
        findings.problem(WHERE, "no items found")
        return
    _report_missing_characteristics([c.code for c in characteristics], findings)
    items_per_characteristic = max(len(c.items) for c in characteristics)
    for characteristic in characteristics:
        weights = sum(item.weight for item in characteristic.items)
        if weights == characteristic.declared_max:
            continue
        present = {item.code for item in characteristic.items}
        numbered = any("." in code for code in present)
        missing = [
            f"{characteristic.code}.{n}"
            for n in range(1, items_per_characteristic + 1)
            if numbered and f"{characteristic.code}.{n}" not in present
        ]
        for code in missing:
            findings.problem(WHERE, f"item {code} not found")
        findings.problem(
            WHERE,
            f"characteristic {characteristic.code} {characteristic.name} is "
            f"{characteristic.declared_max}分 but its items' weights sum to {weights}",
        )
    weight_sum = sum(item.weight for c in characteristics for item in c.items)
    if weight_sum != 100:
        findings.problem(WHERE, f"weights sum to {weight_sum}, not 100")
    if total is None:
        message = "the table ends without its 总计 row"
        if weight_sum < 100:
            findings.problem(WHERE, f"{message} (is the document cut short?)")
        else:
            findings.note(WHERE, message)
    elif total != weight_sum:
        findings.problem(WHERE, f"the 总计 row says {total} but the item weights sum to {weight_sum}")


def _report_missing_characteristics(codes: list[str], findings: Findings) -> None:
    numbers = sorted({int(code) for code in codes})
    for number in range(1, numbers[-1] + 1):
        if number not in numbers:
            findings.problem(WHERE, f"characteristic {number} not found")
