"""Text from people lands in the report files as text, never as a formula (OWASP CSV injection).

A real export workbook is written with hostile texts where people type them (the organization, the
comments) and opened again with openpyxl: no cell holds a formula or an error value, every hostile
text reads back exactly as typed, and numbers (a negative one included) are still numbers. The CSV
side: the answers CSV keeps its numbers bare, and a text a spreadsheet would run gets a leading quote.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.adapters.reports import (
    CharacteristicRow,
    Comment,
    ItemRow,
    RawAnswerRow,
    ScoreSheet,
    write_answers_csv,
    write_workbook,
)
from bot.adapters.reports.safe_text import csv_row, csv_value, text_cell
from specs import Spec, load_catalog

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REPORTS_DIR = Path(__file__).parents[2] / "bot" / "adapters" / "reports"

HYPERLINK = '=HYPERLINK("http://x","点击查看")'
ORGANIZATION = "+SUM(A1)"
HOSTILE_COMMENTS = {
    1: HYPERLINK,
    2: "@cmd",
    3: "-1+2",
    4: "\t=1+1",
    5: "\r=cmd|' /C calc'!A0",
    6: "#N/A",
    7: "服务很及时 =1+1",  # not at the start: harmless, written unchanged
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    found = load_catalog().get("TBSC120")
    assert found is not None
    return found


def _score_sheet(spec: Spec) -> ScoreSheet:
    items = tuple(ItemRow(item.code, 0.8, item.weight * 0.8) for item in spec.items)
    characteristics = tuple(CharacteristicRow(c.code, c.max * 0.8) for c in spec.characteristics)
    return ScoreSheet(spec=spec, organization=ORGANIZATION, survey_code="-GZ@1",
                      generated_at=dt.datetime(2026, 3, 15, 18, 30, tzinfo=SHANGHAI), respondents=7,
                      items=items, characteristics=characteristics, service_score=80.0, service_grade="三星级")


def _raw_rows(spec: Spec) -> list[RawAnswerRow]:
    joined = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    ratings = {item.code: 4 for item in spec.items}
    rows = [RawAnswerRow(number, "telegram", joined, joined + dt.timedelta(minutes=5), dt.timedelta(minutes=5),
                         ratings) for number in HOSTILE_COMMENTS]
    # a clock that jumped back: the duration is a negative number, and must stay a number
    rows[0] = RawAnswerRow(1, "telegram", joined, joined, dt.timedelta(minutes=-2), ratings)
    return rows


def _export(spec: Spec, tmp_path: Path) -> Path:
    path = tmp_path / "export.xlsx"
    comments = [Comment(number, text) for number, text in HOSTILE_COMMENTS.items()]
    write_workbook(_score_sheet(spec), _raw_rows(spec), comments, "zh", path=path)
    return path


def test_no_cell_of_the_saved_workbook_is_a_formula(spec: Spec, tmp_path: Path) -> None:
    workbook = load_workbook(_export(spec, tmp_path))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    # the project writes no formula of its own: every formula or error cell would be someone's text
    assert [cell.coordinate for cell in cells if cell.data_type in ("f", "e")] == []
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))


def test_hostile_texts_read_back_exactly_as_typed(spec: Spec, tmp_path: Path) -> None:
    workbook = load_workbook(_export(spec, tmp_path))

    comments = workbook["意见与建议"]
    by_respondent = {row[0].value: row[1] for row in comments.iter_rows(min_row=2)}
    for number, text in HOSTILE_COMMENTS.items():
        cell = by_respondent[number]
        assert (cell.value, cell.data_type) == (text, "s")
        # risky texts carry Excel's quote prefix too: editing the cell keeps it text
        assert cell.quotePrefix == (text[0] in "=+-@\t\r")
    score_sheet = workbook["附录1 评分表"]
    assert (score_sheet["B3"].value, score_sheet["B3"].data_type) == (ORGANIZATION, "s")
    assert (score_sheet["E3"].value, score_sheet["E3"].data_type) == ("-GZ@1", "s")
    report = {row[0].value: row[1] for row in workbook["测评报告"].iter_rows() if row[0].value}
    assert (report["受评组织"].value, report["受评组织"].data_type) == (ORGANIZATION, "s")


def test_numbers_stay_numbers_negative_ones_too(spec: Spec, tmp_path: Path) -> None:
    workbook = load_workbook(_export(spec, tmp_path))

    raw = workbook["原始答卷"]
    duration = raw.cell(row=2, column=5)
    assert (duration.value, duration.data_type) == (-2.0, "n")
    assert all(cell.data_type == "n" and cell.value == 4 for cell in raw[2][5:5 + len(spec.items)])
    assert [row[0].data_type for row in workbook["意见与建议"].iter_rows(min_row=2)] == ["n"] * 7
    score_sheet = workbook["附录1 评分表"]
    assert (score_sheet["B5"].value, score_sheet["B5"].data_type) == (7, "n")
    assert (score_sheet["D7"].value, score_sheet["D7"].data_type) == (5, "n")


def test_characters_an_xlsx_file_cannot_hold_do_not_break_the_export(spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "control.xlsx"
    write_workbook(_score_sheet(spec), [], [Comment(1, "a\x0bb\x00c")], "zh", path=path)

    assert load_workbook(path)["意见与建议"]["B2"].value == "a\ufffdb\ufffdc"


def test_answers_csv_keeps_its_numbers_bare(spec: Spec) -> None:
    content = write_answers_csv(spec, _raw_rows(spec))

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["respondent", "item", "rating", "channel", "submitted_at"]
    assert rows[1] == ["1", "1.1", "4", "telegram", "2026-03-10T09:00:00+08:00"]
    assert not any(field.startswith("'") for row in rows for field in row)


def test_csv_fields_a_spreadsheet_would_run_get_a_leading_quote() -> None:
    texts = [HYPERLINK, ORGANIZATION, "@cmd", "-1+2", "\t=1+1", "\r=1+1", "服务很及时", "a=b", ""]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(csv_row([*texts, -1, 2.5, None]))

    [row] = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row == ["'" + HYPERLINK, "'+SUM(A1)", "'@cmd", "'-1+2", "'\t=1+1", "'\r=1+1", "服务很及时", "a=b", "",
                   "-1", "2.5", ""]
    assert csv_value(-1) == -1  # a number is not text: no quote


def test_every_report_writer_writes_cells_and_rows_through_safe_text() -> None:
    """One helper for every writer: no cell value, worksheet append or CSV row bypasses it."""
    offenders = []
    for path in sorted(REPORTS_DIR.glob("*.py")):
        if path.name == "safe_text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if name == "append" and "sheet" in ast.unparse(node.func.value):
                    offenders.append(f"{path.name}:{node.lineno} sheet.append(…)")
                if name == "cell" and (len(node.args) > 2 or any(k.arg == "value" for k in node.keywords)):
                    offenders.append(f"{path.name}:{node.lineno} .cell(value=…)")
                if name in ("writerow", "writerows") and not (
                        node.args and isinstance(node.args[0], ast.Call)
                        and getattr(node.args[0].func, "id", None) == "csv_row"):
                    offenders.append(f"{path.name}:{node.lineno} .{name} without csv_row")
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "value":
                    offenders.append(f"{path.name}:{node.lineno} .value = …")
                if isinstance(target, ast.Subscript) and "sheet" in ast.unparse(target.value):
                    offenders.append(f"{path.name}:{node.lineno} sheet[…] = …")
    assert offenders == []


def test_text_cell_makes_a_formula_looking_text_a_string() -> None:
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet("s")
    cell = text_cell(sheet, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    assert text_cell(sheet, "#N/A").data_type == "s"
    assert text_cell(sheet, -3).data_type == "n"
    assert text_cell(sheet, None).value is None
