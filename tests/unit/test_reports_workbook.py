"""The files an audit lead receives: the filled Appendix 1 workbook and the raw-answer CSV (TBSC120).

Hand-made figures: every item has α 0.8 except 1.1 (α 0.9), 1.2 (α 0.6) and 7 (α 1.0), so
1.1 = 5 × 0.9 = 4.5, 1.2 = 7 × 0.6 = 4.2, 7 = 8 × 1.0 = 8, the other 16 items (weight 5) 4.0 each:
service score = 4.5 + 4.2 + 16 × 4.0 + 8 = 80.7; 功能性 = 4.5 + 4.2 + 4.0 = 12.7 of 17.
Management: every requirement at level 3 except 1.1 (weight 5) at level 1 and 4.1 (weight 10) at level 5:
145 × 3/5 = 87, minus 5 × 2/5 = 2, plus 10 × 2/5 = 4, total 89.0 (三级).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.adapters.reports import (
    CSV_COLUMNS,
    CertificationResult,
    CharacteristicRow,
    Comment,
    DataQuality,
    ItemRow,
    ManagementSummary,
    RawAnswerRow,
    ScoreSheet,
    write_answers_csv,
    write_workbook,
)
from specs import Spec, load_catalog

SPECIAL_ALPHAS = {"1.1": 0.9, "1.2": 0.6, "7": 1.0}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# The storage layer knows who answered; reports only ever see the survey numbers.
TELEGRAM_IDS = {1: 777000111, 2: 777000222, 3: 777000333}
ZH_HEADERS = ["服务特性指标", "服务过程质量指标", "评价内容", "单项分值", "体验系数 α", "实际得分"]
FIRST_ITEM_ROW = 7
ZH_SHEETS = ["附录1 评分表", "原始答卷", "意见与建议", "管理成熟度", "测评报告", "操作日志", "术语说明"]
TOTAL_ROW = FIRST_ITEM_ROW + 19


@pytest.fixture(scope="module")
def spec() -> Spec:
    found = load_catalog().get("TBSC120")
    assert found is not None
    return found


def _alpha(code: str) -> float:
    return SPECIAL_ALPHAS.get(code, 0.8)


def _management(spec: Spec) -> ManagementSummary:
    levels = {r.code: 3 for r in spec.requirements} | {"1.1": 1, "4.1": 5}
    return ManagementSummary(
        levels=levels, total=89.0, level_label="三级",
        certification=CertificationResult(grade="三星级", certified=True, capped=False,
                                    explanation="服务特性测评得分 80.7，管理成熟度三级：三星级。"))


def _score_sheet(spec: Spec, management: ManagementSummary | None = None) -> ScoreSheet:
    items = tuple(ItemRow(i.code, _alpha(i.code), i.weight * _alpha(i.code)) for i in spec.items)
    characteristics = tuple(CharacteristicRow(c.code, sum(i.weight * _alpha(i.code) for i in c.items))
                            for c in spec.characteristics)
    return ScoreSheet(
        spec=spec, organization="赣州城市管家有限公司", survey_code="GZ2026A",
        generated_at=dt.datetime(2026, 3, 15, 18, 30, tzinfo=SHANGHAI), respondents=3,
        items=items, characteristics=characteristics, service_score=80.7, service_grade="三星级",
        ci95=(76.2, 85.1), management=management,
        quality=DataQuality(straight_liners=(2,), speeders=(3,)),
        started=5, period="2026-03-01 – 2026-03-31 (Asia/Shanghai)")


def _raw_rows(spec: Spec) -> list[RawAnswerRow]:
    joined = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    codes = [item.code for item in spec.items]
    return [
        RawAnswerRow(respondent=1, channel="telegram", joined_at=joined,
                     submitted_at=joined + dt.timedelta(minutes=6), duration=dt.timedelta(minutes=6),
                     ratings={code: 4 for code in codes} | {"1.2": 3, "7": 5}),
        RawAnswerRow(respondent=2, channel="paper", joined_at=None, submitted_at=None, duration=None,
                     ratings={code: 4 for code in codes}),
        RawAnswerRow(respondent=3, channel="telegram", joined_at=joined,
                     submitted_at=joined + dt.timedelta(seconds=90), duration=dt.timedelta(seconds=90),
                     ratings={code: 5 for code in codes[:10]}),
    ]


COMMENTS = [Comment(1, "服务很及时"), Comment(3, "希望夜间也能联系到管家。")]  # in respondent order


def _workbook(spec: Spec, language: str = "zh", management: ManagementSummary | None = None):
    content = write_workbook(_score_sheet(spec, management), _raw_rows(spec), COMMENTS, language)
    return load_workbook(io.BytesIO(content))


def test_workbook_has_seven_sheets_in_chinese_the_glossary_last(spec: Spec) -> None:
    workbook = _workbook(spec)
    assert workbook.sheetnames == ZH_SHEETS
    assert not any(sheet.merged_cells.ranges for sheet in workbook)  # written row by row, nothing merged


def test_score_sheet_header_names_the_spec_the_survey_and_its_responses(spec: Spec) -> None:
    sheet = _workbook(spec)["附录1 评分表"]
    assert sheet["A1"].value == "智慧城市管家服务要求（服务能力评价评分表）"
    facts = [[cell.value for cell in sheet[row]][:5] for row in range(2, 6)]
    assert facts == [
        ["规范文件", "CTS TBSC120-2026", None, "版本", "B/0"],
        ["受评组织", "赣州城市管家有限公司", None, "问卷代码", "GZ2026A"],
        ["测评期间", "2026-03-01 – 2026-03-31 (Asia/Shanghai)", None, "生成时间", dt.datetime(2026, 3, 15, 18, 30)],
        ["已提交答卷（份）", 3, None, "已开始作答（人，含已提交）", 5],
    ]
    assert sheet["E4"].number_format == "yyyy-mm-dd hh:mm"
    assert [cell.value for cell in sheet[6]] == ZH_HEADERS
    assert sheet.freeze_panes == "A7"
    assert sheet.print_title_rows == "$6:$6"


def test_each_item_row_holds_its_weight_alpha_and_score(spec: Spec) -> None:
    sheet = _workbook(spec)["附录1 评分表"]
    for row, item in enumerate(spec.items, start=FIRST_ITEM_ROW):
        weight, alpha, score = (sheet.cell(row=row, column=column) for column in (4, 5, 6))
        assert sheet.cell(row=row, column=3).value == item.statement.zh
        assert weight.value == item.weight
        assert alpha.value == pytest.approx(_alpha(item.code))
        assert (weight.data_type, alpha.data_type, score.data_type) == ("n", "n", "n")  # numbers, not text
        assert score.value == pytest.approx(item.weight * _alpha(item.code))
        assert (alpha.number_format, score.number_format) == ("0.00", "0.0")
    assert sheet["F8"].value == pytest.approx(4.2)  # 1.2 设备设施: 7 × 0.6


def test_numbers_are_stored_as_displayed_two_decimals_for_alpha_one_for_scores(spec: Spec) -> None:
    """α 0.86 arrives as 0.8600000000000001 from a float sum, 5/6 as 0.8333…: the cells hold 0.86 and 0.83
    and the item scores 5 × 0.86 = 4.3 and 5 × 5/6 = 4.1666… → 4.2 (half up), never a float tail."""
    noisy = {"1.1": 0.06 + 0.8, "1.3": 5 / 6}
    sheet = _score_sheet(spec)
    items = tuple(ItemRow(item.code, noisy[item.code], 5 * noisy[item.code]) if item.code in noisy else item
                  for item in sheet.items)
    management = _management(spec)
    management = ManagementSummary(management.levels, 89.00000000000001, "三级", management.certification)
    content = write_workbook(replace(sheet, items=items, management=management), [], [], "zh")
    workbook = load_workbook(io.BytesIO(content))
    scores = workbook["附录1 评分表"]
    assert 0.06 + 0.8 == 0.8600000000000001
    assert [scores.cell(row=FIRST_ITEM_ROW, column=column).value for column in (5, 6)] == [0.86, 4.3]
    assert [scores.cell(row=FIRST_ITEM_ROW + 2, column=column).value for column in (5, 6)] == [0.83, 4.2]
    total = [row for row in workbook["管理成熟度"].iter_rows(values_only=True) if row[0] == "总计"][0]
    assert total[5] == 89.0
    numbers = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row
               if isinstance(cell.value, float)]
    assert numbers and all(repr(number) == repr(round(number, 2)) for number in numbers)


def test_characteristic_and_dimension_labels_follow_the_document(spec: Spec) -> None:
    sheet = _workbook(spec)["附录1 评分表"]
    assert sheet["A7"].value == "1. 功能性/17分"
    assert sheet["B7"].value == "1.1. 人员/5分"
    assert sheet["B8"].value == "1.2. 设备设施/7分"
    assert sheet["A8"].value is None and sheet["A9"].value is None  # the characteristic is named once
    assert sheet["A10"].value == "2. 安全性/15分"
    assert sheet["A25"].value == "7. 服务规范/8分"
    assert sheet["B25"].value == "制定服务规范/8分"


def test_total_and_service_score_rows(spec: Spec) -> None:
    sheet = _workbook(spec)["附录1 评分表"]
    assert sheet.cell(row=TOTAL_ROW, column=1).value == "总计"
    assert sheet.cell(row=TOTAL_ROW, column=4).value == 100
    assert sheet.cell(row=TOTAL_ROW, column=6).value == pytest.approx(80.7)
    assert sheet.cell(row=TOTAL_ROW + 1, column=1).value == "服务特性测评得分"
    score = sheet.cell(row=TOTAL_ROW + 1, column=6)
    assert (score.value, score.number_format) == (80.7, "0.0")
    grade = sheet.cell(row=TOTAL_ROW + 1, column=3).value
    assert "三星级" in grade and "76.2–85.1" in grade
    assert sheet.cell(row=TOTAL_ROW + 3, column=1).value == "数据质量"
    note = sheet.cell(row=TOTAL_ROW + 3, column=3).value
    assert "直线作答 #2" in note and "作答过快 #3" in note


def test_raw_answers_sheet_has_one_row_per_respondent_and_no_telegram_ids(spec: Spec) -> None:
    sheet = _workbook(spec)["原始答卷"]
    codes = [item.code for item in spec.items]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["答卷人编号", "渠道", "加入时间", "提交时间", "用时（分钟）", *codes, "标记"]
    assert [row[0] for row in rows[1:]] == [1, 2, 3]
    assert [row[1] for row in rows[1:]] == ["Telegram", "纸质问卷", "Telegram"]
    first, paper, quick = rows[1:]
    assert first[1:5] == ("Telegram", dt.datetime(2026, 3, 10, 9, 0), dt.datetime(2026, 3, 10, 9, 6), 6.0)
    assert first[5:7] == (4, 3) and first[5 + codes.index("7")] == 5
    assert paper[1:5] == ("纸质问卷", None, None, None)
    assert paper[-1] == "直线作答"
    assert quick[4] == 1.5 and quick[-1] == "作答过快"
    assert quick[5 + 10] is None  # item 11 left unanswered
    values = {str(value) for row in rows for value in row if value is not None}
    assert not values & {str(telegram_id) for telegram_id in TELEGRAM_IDS.values()}


def test_comments_sheet_lists_comments_by_respondent(spec: Spec) -> None:
    rows = list(_workbook(spec)["意见与建议"].iter_rows(values_only=True))
    assert rows == [("答卷人编号", "意见"), (1, "服务很及时"), (3, "希望夜间也能联系到管家。")]


def test_maturity_sheet_scores_each_requirement_and_totals(spec: Spec) -> None:
    sheet = _workbook(spec, management=_management(spec))["管理成熟度"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("章节", "编号", "管理要求", "总分值", "成熟度等级", "得分")
    by_code = {row[1]: row for row in rows[1:22]}
    assert len(by_code) == 21
    assert by_code["1.1"][2:] == ("理解组织及其所处的环境", 5, 1, 1.0)
    assert by_code["4.1"][3:] == (10, 5, 10.0)
    assert by_code["6.3"][3:] == (10, 3, 6.0)
    assert rows[1][0] == "1. 组织所处环境" and rows[2][0] is None
    assert rows[22][0] == "总计" and rows[22][3] == 145 and rows[22][5] == pytest.approx(89.0)
    summary = {row[0]: row[2] for row in rows[24:] if row[0]}
    assert summary["管理成熟度等级"] == "三级"
    assert summary["认证结果"] == "三星级"
    assert summary["说明"].startswith("服务特性测评得分 80.7")


def test_maturity_sheet_says_when_nothing_is_rated(spec: Spec) -> None:
    rows = list(_workbook(spec)["管理成熟度"].iter_rows(values_only=True))
    assert all(row[4] is None and row[5] is None for row in rows[1:22])
    assert ("管理成熟度等级", "尚未评定管理成熟度。") in [(row[0], row[2]) for row in rows]


def test_capped_certification_is_marked(spec: Spec) -> None:
    capped = ManagementSummary(
        levels={r.code: 3 for r in spec.requirements}, total=87.0, level_label="三级",
        certification=CertificationResult(grade="三星级", certified=True, capped=True, explanation="…"))
    rows = list(_workbook(spec, management=capped)["管理成熟度"].iter_rows(values_only=True))
    assert ("认证结果", "三星级（受管理成熟度等级限制）") in [(row[0], row[2]) for row in rows]


def test_english_workbook_keeps_the_chinese_headers(spec: Spec) -> None:
    workbook = _workbook(spec, language="en")
    assert workbook.sheetnames == ["Appendix 1 score sheet", "Raw answers", "Comments", "Management maturity",
                                   "Survey report", "Log", "Glossary"]
    sheet = workbook["Appendix 1 score sheet"]
    assert [sheet[f"{column}{row}"].value for row in (2, 5) for column in "ADE"] == [
        "Spec document", "Version", "B/0", "Submitted responses (n)", "Started (n, submitted included)", 5]
    headers = [cell.value for cell in sheet[6]]
    assert headers[0] == "服务特性指标\nService characteristic"
    assert all(header.startswith(chinese) for header, chinese in zip(headers, ZH_HEADERS, strict=True))
    assert workbook["Raw answers"]["A1"].value == "Respondent"


def test_workbook_is_written_to_a_path_when_given(spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    content = write_workbook(_score_sheet(spec), _raw_rows(spec), [], "zh", path=path)
    assert path.read_bytes() == content
    assert load_workbook(path)["意见与建议"]["B2"].value == "无意见。"


def test_answers_csv_has_bom_header_and_reads_back(spec: Spec) -> None:
    content = write_answers_csv(spec, _raw_rows(spec))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["respondent", "item", "rating"] and tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == 19 + 19 + 10
    assert rows[1] == ["1", "1.1", "4", "telegram", "2026-03-10T09:06:00+08:00"]
    assert rows[2][:3] == ["1", "1.2", "3"]
    assert ["2", "1.1", "4", "paper", ""] in rows
    ratings = {(row[0], row[1]): int(row[2]) for row in rows[1:]}
    assert ratings[("1", "7")] == 5 and ("3", "7") not in ratings


def _undetermined_sheet(spec: Spec) -> ScoreSheet:
    """Item 3.2 has no rating (both respondents answered it "not applicable"), 1.1 one N/A of two."""
    def row(code: str) -> ItemRow:
        if code == "3.2":
            return ItemRow(code, None, 0.0, rated=0, not_applicable=2)
        return ItemRow(code, 0.8, 0.8 * spec.item(code).weight, rated=1 if code == "1.1" else 2,
                       not_applicable=1 if code == "1.1" else 0)
    characteristics = tuple(CharacteristicRow(c.code, 0.8 * c.max if c.code != "3" else 8.0,
                                              ("3.2",) if c.code == "3" else ()) for c in spec.characteristics)
    return ScoreSheet(
        spec=spec, organization="赣州城市管家有限公司", survey_code="GZ2026A",
        generated_at=dt.datetime(2026, 3, 15, 18, 30, tzinfo=SHANGHAI), respondents=2,
        items=tuple(row(item.code) for item in spec.items), characteristics=characteristics,
        service_score=None, service_grade=None, unrated=("3.2",),
        quality=DataQuality(all_not_applicable=(5,)))


def test_score_sheet_counts_ratings_and_na_and_says_when_the_score_is_undetermined(spec: Spec) -> None:
    workbook = load_workbook(io.BytesIO(write_workbook(_undetermined_sheet(spec), _raw_rows(spec), [], "zh")))
    sheet = workbook["附录1 评分表"]
    assert [cell.value for cell in sheet[6]] == [*ZH_HEADERS, "评分人数", "不适用人数"]
    first = [cell.value for cell in sheet[FIRST_ITEM_ROW]]
    assert first[3:] == [5, pytest.approx(0.8), pytest.approx(4.0), 1, 1]
    unrated = [cell.value for cell in sheet[FIRST_ITEM_ROW + 7]]  # 3.2, the eighth item
    assert unrated[1].startswith("3.2.") and unrated[4:] == ["—", "—", 0, 2]
    assert sheet.cell(row=TOTAL_ROW, column=6).value == "—"
    assert sheet.cell(row=TOTAL_ROW + 1, column=6).value == "未确定"
    assert "3.2" in sheet.cell(row=TOTAL_ROW + 1, column=3).value
    assert "#5" in sheet.cell(row=TOTAL_ROW + 3, column=3).value
