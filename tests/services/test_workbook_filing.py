"""The exported workbook is ready to file (issue 18 point 9, issue 20 point 5): a real survey on SQLite or
PostgreSQL, answered through RespondentService, exported by build_export and opened with openpyxl.

TBSC120, open 2026-05-01 to 2026-05-31 (Asia/Shanghai), target 8; every rating is α = rating / 5:
  #1 rates every item 4 except 1.1 = 5
  #2 rates every item 4                                straight-lining
  #3 rates every item 4 except 1.1 N/A and 1.2 = 5
  #4 answers every item N/A                            flagged, not scored
  #5 answers 1.1 and stops                             started, not submitted
  1.1: α (1.0 + 0.8) / 2 = 0.9 (2 rated, 2 N/A), score 5 × 0.9 = 4.5
  1.2: α (0.8 + 0.8 + 1.0) / 3 = 0.8666… → 0.87 (3 rated, 1 N/A), score 7 × 0.8666… = 6.0666… → 6.1
  the 17 other items α 0.8 (3 rated, 1 N/A), 88 points × 0.8 = 70.4 → service 80.9666… → 81.0 (三星级)
Management: every requirement at level 4: 145 × 4 / 5 = 116.0 (五级) → certification 三星级.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from bot.adapters import storage
from bot.adapters.storage import Database, SurveyRecord
from bot.services import audit
from bot.services.respondent import RespondentService
from bot.services.survey_export import build_export
from conversations.survey_dates import closes_at_end_of_day, opening_moment
from specs import load_catalog

CATALOG = load_catalog()
SPEC = CATALOG.get("TBSC120")
ITEMS = [item.code for item in SPEC.items]
ZONE = "Asia/Shanghai"
NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
NA = None


def ratings(default: int | None = 4, **overrides: int | None) -> dict[str, int | None]:
    changed = {name[1:].replace("_", "."): value for name, value in overrides.items()}
    return {code: changed.get(code, default) for code in ITEMS}


async def respond(service: RespondentService, survey: SurveyRecord, user_id: int,
                  answers: dict[str, int | None], submit: bool = True) -> None:
    reply = await service.open_invite(survey.code, user_id, user_id, "en")
    reply = await service.on_button(user_id, survey.id, reply.screen.position, "start")
    for code in answers:
        rating = answers[code]
        reply = await service.on_button(user_id, survey.id, reply.screen.position,
                                        "r:na" if rating is NA else f"r:{rating}")
    if submit:
        await service.on_button(user_id, survey.id, "review", "submit")


@pytest.fixture
async def answered(database: Database) -> SurveyRecord:
    survey = await storage.create_survey(
        database.sessions, spec_id="TBSC120", organization="=HYPERLINK(\"http://x\",\"赣州\")", timezone=ZONE,
        now=NOW, opens_at=opening_moment(dt.date(2026, 5, 1), ZONE),
        closes_at=closes_at_end_of_day(dt.date(2026, 5, 31), ZONE), target=8)
    await audit.record(database.sessions, survey.id, audit.CLI, audit.CREATED, audit.created_details(survey), NOW)
    service = RespondentService(database.sessions, CATALOG, "en", clock=lambda: NOW)
    await respond(service, survey, 1, ratings(i1_1=5))
    await respond(service, survey, 2, ratings())
    await respond(service, survey, 3, ratings(i1_1=NA, i1_2=5))
    await respond(service, survey, 4, ratings(NA))
    await respond(service, survey, 5, {"1.1": 4}, submit=False)
    for requirement in SPEC.requirements:
        await storage.set_level(database.sessions, survey.id, requirement.code, 4, 777, NOW)
    await audit.record(database.sessions, survey.id, 777, audit.MATURITY_RATED, {"requirement": "1.1"}, NOW)
    return survey


async def _workbook(database: Database, survey: SurveyRecord, language: str) -> openpyxl.Workbook:
    files = await build_export(database.sessions, CATALOG, survey, language, NOW)
    return openpyxl.load_workbook(io.BytesIO(files.workbook))


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(value is not None for value in row)]


def _facts(sheet: Any) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in _rows(sheet) if isinstance(row[0], str)}


async def test_score_sheet_header_counts_and_numbers_as_displayed(database, answered):
    workbook = await _workbook(database, answered, "zh")
    assert workbook.sheetnames == ["附录1 评分表", "原始答卷", "意见与建议", "管理成熟度", "测评报告", "操作日志",
                                   "术语说明"]
    sheet = workbook["附录1 评分表"]
    facts = [[cell.value for cell in sheet[row]][:5] for row in range(2, 6)]
    assert facts == [
        ["规范文件", "CTS TBSC120-2026", None, "版本", "B/0"],
        ["受评组织", answered.organization, None, "问卷代码", answered.code],
        ["测评期间", "2026-05-01 至 2026-05-31（Asia/Shanghai）", None, "生成时间", dt.datetime(2026, 5, 4, 17, 0)],
        ["已提交答卷（份）", 4, None, "已开始作答（人，含已提交）", 5],
    ]
    items = {row[1].split(".")[0] + "." + row[1].split(".")[1]: row[3:] for row in _rows(sheet)[6:8]}
    assert items == {"1.1": (5, 0.9, 4.5, 2, 2), "1.2": (7, 0.87, 6.1, 3, 1)}
    assert [cell.value for cell in sheet[9]][3:] == [5, 0.8, 4.0, 3, 1]  # 1.3
    score = next(row for row in _rows(sheet) if row[0] == "服务特性测评得分")
    assert score[5] == 81.0 and "三星级" in score[2]
    total = next(row for row in _rows(sheet) if row[0] == "总计")
    assert total[5] == 81.0


async def test_survey_report_log_and_glossary_of_the_real_survey(database, answered):
    workbook = await _workbook(database, answered, "zh")
    report = _facts(workbook["测评报告"])
    assert report["受评组织"][0] == answered.organization
    assert report["规范文件"][0] == "CTS TBSC120-2026，版本 B/0"
    assert report["测评期间"][0] == "2026-05-01 至 2026-05-31（Asia/Shanghai）"
    assert report["各渠道已提交"][:2] == ("Telegram", 4)
    assert report["样本量"][0] == "已提交答卷 4 份，目标 8 份（50%）；5 位顾客开始作答"
    assert report["邀请方式"][0] == f"问卷 {answered.code} 的邀请链接和二维码，由受评组织发给其顾客。"
    assert report["直线作答"][:2] == ("#2", 1) and report["作答过快"][:2] == ("—", 0)
    assert report["全部不适用（不计分）"][:2] == ("#4", 1)
    assert report["服务特性测评得分"][0] == 81.0
    assert report["管理成熟度等级"][0] == "总分 116.0（满分 145），五级"
    assert report["认证结果"][0] == "三星级"
    rows = _rows(workbook["测评报告"])
    conclusion = [row[1] for row in rows[rows.index(next(r for r in rows if r[0] == "结论")):-3]]
    assert conclusion[0] == "服务特性测评得分：81.0（三星级）"
    assert conclusion[1].startswith("95% 置信区间：") and conclusion[2].startswith(("暂定", "已确定"))
    assert any(line.startswith("认证结果：三星级") for line in conclusion)
    assert rows[-2:] == [("审核负责人（签字）", None, "日期", None), ("复核人（签字）", None, "日期", None)]

    log = _rows(workbook["操作日志"])
    verified = await audit.verify_survey(database.sessions, answered.id)
    assert verified.intact and log[1][2] == verified.seal
    assert log[2][2] == "封印涵盖 4 份已提交答卷和 2 条日志。"
    assert f"surveybot survey verify {answered.code}" in log[3][2]
    assert [row[:4] for row in log[5:]] == [(1, dt.datetime(2026, 5, 4, 17, 0), "命令行", "创建问卷"),
                                            (2, dt.datetime(2026, 5, 4, 17, 0), "Telegram 用户 777", "评定管理成熟度")]
    assert f"code={answered.code}" in log[5][4]
    assert workbook.sheetnames[-1] == "术语说明" and len(_rows(workbook["术语说明"])) == 1 + 8


async def test_english_workbook_and_no_formula_anywhere(database, answered):
    workbook = await _workbook(database, answered, "en")
    assert workbook.sheetnames[4:] == ["Survey report", "Log", "Glossary"]
    report = _facts(workbook["Survey report"])
    assert report["Sample size"][0] == "4 responses submitted of a target of 8 (50%); 5 customers started"
    assert report["Survey period"][0] == "2026-05-01 – 2026-05-31 (Asia/Shanghai)"
    assert [row[0] for row in _rows(workbook["Log"])[5:]] == [1, 2]
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [cell.coordinate for cell in cells if cell.data_type in ("f", "e")] == []
    organization = [cell for cell in cells if cell.value == answered.organization]
    assert len(organization) >= 2 and all(cell.data_type == "s" and cell.quotePrefix for cell in organization)
