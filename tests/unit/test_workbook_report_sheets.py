"""The workbook's filing sheets, from hand-made figures (TBSC120): the survey report (测评报告) laid out as the
survey section of an audit report, the log with the seal, and the glossary as the last sheet, in Chinese and
English.

Figures: 4 responses submitted of a target of 8 (4 / 8 = 50 %), 6 customers started; by channel Telegram 2,
web page 1, paper 1; flagged: straight-lining #2, speeding #3 and #4, every item "not applicable" #5.
Service score 80.7 (三星级), interval 76.2–85.1; management total 89.0 of 145 (三级) gives 三星级.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from bot.adapters.reports import (
    CertificationResult,
    CharacteristicRow,
    DataQuality,
    ItemRow,
    LogEntry,
    ManagementSummary,
    ScoreSheet,
    Seal,
    SurveyReport,
    write_workbook,
)
from specs import Spec, load_catalog

SEAL = "3f" * 32
PERIOD = "2026-03-01 – 2026-03-31 (Asia/Shanghai)"
RESULT = ("服务特性测评得分：80.7（三星级）", "暂定：区间跨过四星级（90 分）分界线……")


@pytest.fixture(scope="module")
def spec() -> Spec:
    found = load_catalog().get("TBSC120")
    assert found is not None
    return found


def _sheet(spec: Spec, **changes: Any) -> ScoreSheet:
    management = ManagementSummary(
        levels={r.code: 3 for r in spec.requirements}, total=89.0, level_label="三级",
        certification=CertificationResult(grade="三星级", certified=True, capped=False, explanation="…"))
    sheet = ScoreSheet(
        spec=spec, organization="赣州城市管家有限公司", survey_code="GZ2026A",
        generated_at=dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), respondents=4,
        items=tuple(ItemRow(item.code, 0.8, 0.8 * item.weight, 4, 0) for item in spec.items),
        characteristics=tuple(CharacteristicRow(c.code, 0.8 * c.max) for c in spec.characteristics),
        service_score=80.7, service_grade="三星级", ci95=(76.2, 85.1), management=management,
        quality=DataQuality(straight_liners=(2,), speeders=(4, 3), all_not_applicable=(5,)),
        started=6, period=PERIOD)
    return replace(sheet, **changes)


def _report(**changes: Any) -> SurveyReport:
    report = SurveyReport(
        channels=(("telegram", 2), ("web", 1), ("paper", 1)), target=8,
        invitation=("问卷 GZ2026A 的邀请链接和二维码。", "提醒：无。"), result=RESULT,
        trail=(LogEntry(1, dt.datetime(2026, 3, 1, 9, 0), "命令行", "创建问卷", "code=GZ2026A, target=8"),
               LogEntry(2, dt.datetime(2026, 3, 31, 18, 5), "Telegram 用户 42", "关闭问卷", "")),
        seal=Seal(SEAL, 4, 2))
    return replace(report, **changes)


def _workbook(spec: Spec, language: str = "zh", sheet: ScoreSheet | None = None,
              report: SurveyReport | None = None) -> Workbook:
    content = write_workbook(sheet or _sheet(spec), [], [], language, report=report or _report())
    return load_workbook(io.BytesIO(content))


def _rows(workbook: Workbook, name: str) -> list[tuple[Any, ...]]:
    return [row for row in workbook[name].iter_rows(values_only=True) if any(v is not None for v in row)]


def _by_label(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in rows if isinstance(row[0], str)}


def test_survey_report_scope_and_method(spec: Spec) -> None:
    rows = _rows(_workbook(spec), "测评报告")
    assert rows[0][0] == "测评报告"
    facts = _by_label(rows)
    assert facts["受评组织"][0] == "赣州城市管家有限公司"
    assert facts["服务"][0] == "智慧城市管家服务"
    assert facts["规范文件"][0] == "CTS TBSC120-2026，版本 B/0"
    assert facts["测评期间"][0] == PERIOD
    assert facts["问卷代码"][0] == "GZ2026A"
    assert "19 个测评项" in facts["问卷内容"][0]
    invitation = rows.index(next(row for row in rows if row[0] == "邀请方式"))
    assert [rows[invitation][1], rows[invitation + 1][1]] == ["问卷 GZ2026A 的邀请链接和二维码。", "提醒：无。"]
    channels = rows.index(next(row for row in rows if row[0] == "各渠道已提交"))
    assert [row[1:3] for row in rows[channels:channels + 3]] == [("Telegram", 2), ("网页", 1), ("纸质问卷", 1)]
    assert facts["样本量"][0] == "已提交答卷 4 份，目标 8 份（50%）；6 位顾客开始作答"
    sections = [row[0] for row in rows if isinstance(row[0], str) and row[0][1:2] == "、"]
    assert sections == ["一、测评范围", "二、测评方法", "三、数据剔除（由审核负责人决定）", "四、测评结果", "五、签字"]


def test_survey_report_lists_exclusions_with_counts_for_the_lead_to_decide(spec: Spec) -> None:
    rows = _rows(_workbook(spec), "测评报告")
    header = rows.index(("标记", "答卷人编号", "答卷数（份）", "审核负责人的决定"))
    assert rows[header + 1:header + 4] == [
        ("直线作答", "#2", 1, None),
        ("作答过快", "#3, #4", 2, None),
        ("全部不适用（不计分）", "#5", 1, "不计分：该答卷没有任何评分。"),
    ]


def test_a_long_list_of_flagged_responses_is_cut_but_counted(spec: Spec) -> None:
    sheet = _sheet(spec, quality=DataQuality(speeders=tuple(range(150, 0, -1))))
    rows = _rows(_workbook(spec, sheet=sheet), "测评报告")
    speeding = next(row for row in rows if row[0] == "作答过快")
    assert speeding[1].startswith("#1, #2, ") and speeding[1].endswith("#100, …") and speeding[2] == 150


def test_survey_report_result_and_signature_lines(spec: Spec) -> None:
    workbook = _workbook(spec)
    rows = _rows(workbook, "测评报告")
    facts = _by_label(rows)
    assert facts["服务特性测评得分"][0] == 80.7
    assert facts["95% 置信区间"][0] == "76.2–85.1"
    assert facts["服务特性测评得分的等级"][0] == "三星级"
    assert facts["管理成熟度等级"][0] == "总分 89.0（满分 145），三级"
    assert facts["认证结果"][0] == "三星级"
    conclusion = rows.index(next(row for row in rows if row[0] == "结论"))
    assert (rows[conclusion][1], rows[conclusion + 1][1]) == RESULT
    assert rows[-2:] == [("审核负责人（签字）", None, "日期", None), ("复核人（签字）", None, "日期", None)]
    sheet = workbook["测评报告"]
    signature_rows = [row for row in sheet.iter_rows() if row[0].value in ("审核负责人（签字）", "复核人（签字）")]
    for row in signature_rows:  # a line to sign on and a line for the date
        assert [row[1].border.bottom.style, row[3].border.bottom.style] == ["thin", "thin"]
        assert sheet.row_dimensions[row[0].row].height >= 30
    score = next(row[1] for row in sheet.iter_rows() if row[0].value == "服务特性测评得分")
    assert (score.data_type, score.number_format) == ("n", "0.0")


def test_survey_report_without_target_management_or_score(spec: Spec) -> None:
    sheet = _sheet(spec, service_score=None, service_grade=None, ci95=None, management=None, unrated=("3.2",))
    facts = _by_label(_rows(_workbook(spec, sheet=sheet, report=_report(target=None)), "测评报告"))
    assert facts["样本量"][0] == "已提交答卷 4 份（未设目标样本量）；6 位顾客开始作答"
    assert facts["服务特性测评得分"][0] == "未确定"
    assert facts["95% 置信区间"][0] == "—"
    assert facts["管理成熟度等级"][0] == "尚未评定管理成熟度。"
    assert facts["认证结果"][0] == "尚未确定。"


def test_survey_report_in_english(spec: Spec) -> None:
    rows = _rows(_workbook(spec, "en"), "Survey report")
    facts = _by_label(rows)
    assert facts["Spec document"][0] == "CTS TBSC120-2026, version B/0"
    assert facts["Sample size"][0] == "4 responses submitted of a target of 8 (50%); 6 customers started"
    assert facts["Management level"][0] == "total 89.0 of 145, 三级"
    sections = [row[0] for row in rows if isinstance(row[0], str) and row[0][1:3] == ". "]
    assert sections == ["1. Scope", "2. Method", "3. Data exclusions (the audit lead decides)", "4. Result",
                        "5. Signatures"]
    assert rows[-2:] == [("Audit lead (signature)", None, "Date", None), ("Reviewer (signature)", None, "Date", None)]


def test_log_sheet_has_the_seal_how_to_verify_it_and_the_trail(spec: Spec) -> None:
    rows = _rows(_workbook(spec), "操作日志")
    assert rows[0][0] == "问卷 GZ2026A 的操作日志与封印"
    assert rows[1] == ("封印", None, SEAL, None, None)
    assert rows[2][2] == "封印涵盖 4 份已提交答卷和 2 条日志。"
    assert rows[3][0] == "如何核验" and "surveybot survey verify GZ2026A" in rows[3][2]
    assert rows[4:] == [
        ("序号", "时间", "操作人", "操作", "详情"),
        (1, dt.datetime(2026, 3, 1, 9, 0), "命令行", "创建问卷", "code=GZ2026A, target=8"),
        (2, dt.datetime(2026, 3, 31, 18, 5), "Telegram 用户 42", "关闭问卷", None),
    ]


def test_log_sheet_before_anything_was_sealed_in_english(spec: Spec) -> None:
    rows = _rows(_workbook(spec, "en", report=_report(trail=(), seal=None)), "Log")
    assert rows[1] == ("Seal", None, "No seal yet.", None, None)
    assert "surveybot survey verify GZ2026A" in rows[2][2]
    assert rows[3:] == [("No.", "Time", "Who", "Action", "Details"), (None, "No entries.", None, None, None)]


@pytest.mark.parametrize(("language", "name", "terms"), [
    ("zh", "术语说明", ["体验系数（α）", "测评项得分", "服务特性得分", "服务特性测评得分", "95% 置信区间",
                        "暂定 / 已确定", "管理成熟度总分和管理等级", "认证结果"]),
    ("en", "Glossary", ["Customer experience coefficient (α)", "Item score", "Characteristic score",
                        "Service score", "95% confidence interval", "Provisional / settled",
                        "Management total and management level", "Certification result"]),
])
def test_glossary_is_the_last_sheet_and_explains_each_term(spec: Spec, language: str, name: str,
                                                            terms: list[str]) -> None:
    workbook = _workbook(spec, language)
    assert workbook.sheetnames[-1] == name
    rows = _rows(workbook, name)
    assert [row[0] for row in rows[1:]] == terms
    assert all(len(row[1]) > 30 for row in rows[1:])
    assert "0.2" in rows[1][1] and "1.0" in rows[1][1]  # α: what one answer counts
