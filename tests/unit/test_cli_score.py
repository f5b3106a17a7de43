"""`surveybot score`: an audit lead scores a batch of paper questionnaires from CSV files.

The sample is worked out by hand on TBSC120 (weights: 1.2 is 7, 7 is 8, the other 17 items are 5):
respondent A rates 1.1/1.2/1.3 as 5/5/2, B as 5/4/3, C as 4/3/4; all three rate every other item 4.
  1.1: α (1 + 1 + 0.8)/3 = 0.933333, score 4.666667     1.2: α 0.8, score 5.6     1.3: α 0.6, score 3.0
  功能性 = 13.266667; the other 83 points × 0.8 = 66.4; service score 79.666667 → 79.7, no grade.
Per-respondent totals: A 5 + 7 + 2 + 66.4 = 80.4, B 5 + 5.6 + 3 + 66.4 = 80.0, C 4 + 4.2 + 4 + 66.4 = 78.6;
mean 79.6667, sd 0.94516, se 0.54569, t(0.975, 2) = 4.3027 → ± 2.3479 → [77.32, 82.01] → [77.3, 82.0].
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.services.score_report import text_width
from scoring.confidence import TotalsSummary, pair_histograms_of, service_interval
from scoring.rounding import display
from scoring.service import histograms_of, item_scores, respondent_total, service_result
from specs import load_catalog

SPEC = load_catalog().get("TBSC120")
ITEMS = [item.code for item in SPEC.items]
REQUIREMENTS = [r.code for r in SPEC.requirements]
SAMPLE = {
    "A": {"1.1": 5, "1.2": 5, "1.3": 2},
    "B": {"1.1": 5, "1.2": 4, "1.3": 3},
    "C": {"1.1": 4, "1.2": 3, "1.3": 4},
}
runner = CliRunner()


def answers_csv(path: Path, sample: dict[str, dict[str, int]], default: int = 4, newline: str = "\n",
                encoding: str = "utf-8") -> Path:
    lines = ["respondent,item,rating"] + [
        f"{who},{code},{ratings.get(code, default)}" for who, ratings in sample.items() for code in ITEMS]
    path.write_text(newline.join(lines) + newline, encoding=encoding, newline="")
    return path


def maturity_csv(path: Path, level: int) -> Path:
    rows = "".join(f"{code},{level}\n" for code in REQUIREMENTS)
    path.write_text("requirement,level\n" + rows, encoding="utf-8")
    return path


def score(*args: str | Path, lang: str = "en"):
    return runner.invoke(app, ["score", "--spec", "TBSC120", "--lang", lang, *map(str, args)])


def score_json(*args: str | Path, lang: str = "en") -> dict:
    result = score(*args, "--format", "json", lang=lang)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_figures_equal_the_hand_worked_sample(tmp_path):
    data = score_json("--answers", answers_csv(tmp_path / "a.csv", SAMPLE), lang="zh")
    assert (data["spec"], data["respondents"], data["incomplete_respondents"]) == ("TBSC120", 3, [])
    items = {item["code"]: item for item in data["items"]}
    assert items["1.1"] == {"code": "1.1", "weight": 5, "alpha": 0.933333, "score": 4.666667, "n": 3}
    assert items["1.2"] == {"code": "1.2", "weight": 7, "alpha": 0.8, "score": 5.6, "n": 3}
    assert items["1.3"]["score"] == 3.0
    assert items["7"]["score"] == 6.4
    assert data["characteristics"][0] == {"code": "1", "name": "功能性", "max": 17, "score": 13.266667}
    assert data["service_score"] == 79.7
    assert data["service_grade"] is None
    assert data["ci95"] == [77.3, 82.0]
    assert "management" not in data and "certification" not in data


def test_maturity_adds_management_and_certification(tmp_path):
    # every requirement at level 3: 145 × 3/5 = 87 → 三级; 79.7 with 三级 → certified without a grade
    data = score_json("--answers", answers_csv(tmp_path / "a.csv", SAMPLE),
                      "--maturity", maturity_csv(tmp_path / "m.csv", 3), lang="zh")
    assert data["management"]["total"] == 87
    assert data["management"]["level"] == 3
    assert data["certification"] == {
        "grade": None, "certified": True, "service_grade": None, "capped_by_management": False,
        "explanation": "服务特性测评得分 79.7，管理等级三级：通过认证，不评等级。"}


def test_perfect_service_capped_by_management(tmp_path):
    # all fives → 100.0 (五星级 on service alone); management 三级 (87) allows only 三星级
    data = score_json("--answers", answers_csv(tmp_path / "a.csv", {"A": {}, "B": {}}, default=5),
                      "--maturity", maturity_csv(tmp_path / "m.csv", 3), lang="zh")
    assert (data["service_score"], data["service_grade"]) == (100.0, "五星级")
    assert data["ci95"] == [100.0, 100.0]
    certification = data["certification"]
    assert (certification["grade"], certification["certified"], certification["capped_by_management"]) == (
        "三星级", True, True)
    assert "五星级" in certification["explanation"] and "三级" in certification["explanation"]


def test_incomplete_respondent_is_named_and_left_out(tmp_path):
    path = answers_csv(tmp_path / "a.csv", SAMPLE)
    with path.open("a", encoding="utf-8") as file:
        file.write("D,1.1,1\nD,2.1,1\n")
    result = score("--answers", path, "--format", "json")
    assert result.exit_code == 0
    assert "respondent D left out" in result.stderr and "1.2" in result.stderr
    data = json.loads(result.stdout)
    assert (data["respondents"], data["incomplete_respondents"], data["service_score"]) == (3, ["D"], 79.7)


def test_excel_file_with_bom_and_crlf_scores_the_same(tmp_path):
    path = answers_csv(tmp_path / "excel.csv", SAMPLE, newline="\r\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfrespondent,item,rating\r\n")
    data = score_json("--answers", path)
    assert (data["respondents"], data["service_score"], data["ci95"]) == (3, 79.7, [77.3, 82.0])


def test_table_shows_the_appendix_1_sheet_filled_in(tmp_path):
    path = answers_csv(tmp_path / "a.csv", SAMPLE)
    with path.open("a", encoding="utf-8") as file:
        file.write("D,1.1,1\n")
    result = score("--answers", path, "--maturity", maturity_csv(tmp_path / "m.csv", 3), lang="zh")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for heading in ("服务特性指标", "服务过程质量指标", "评价内容", "单项分值", "体验系数 α", "实际得分"):
        assert heading in out
    lines = out.splitlines()
    item_row = next(line for line in lines if "1.2. 设备设施/7分" in line)
    assert item_row.split()[-3:] == ["7", "0.800", "5.60"]
    total_row = next(line for line in lines if line.startswith("总计"))
    assert total_row.split()[1:] == ["100", "79.67"]
    score_row = next(line for line in lines if line.startswith("服务特性测评得分"))
    assert score_row.split()[-1] == "79.7"
    assert "未计入（答卷不完整）：D" in out
    assert "95% 置信区间：77.3–82.0" in out
    assert "管理成熟度总分：87 / 145；管理等级：三级" in out
    # 79.7 with the interval 77.3–82.0 across the 80 line: provisional, the certification too
    assert "暂定：置信区间跨过了三星级（80分）的分界线" in out
    assert "认证结果：通过认证，不评等级（暂定）" in out


def test_table_columns_line_up_by_display_width(tmp_path):
    result = score("--answers", answers_csv(tmp_path / "a.csv", SAMPLE), lang="zh")
    lines = result.stdout.splitlines()
    table = lines[lines.index(next(line for line in lines if line.startswith("服务特性指标"))):
                  lines.index(next(line for line in lines if line.startswith("服务特性测评得分"))) + 1]
    # the last column is right-aligned, so every row ends in the same terminal column, CJK cells counting 2
    assert len(table) == 1 + 1 + 19 + 2
    assert len({text_width(line) for line in table}) == 1


def test_table_in_english(tmp_path):
    result = score("--answers", answers_csv(tmp_path / "a.csv", SAMPLE))
    assert "Service characteristic score" in result.stdout
    assert "Experience coefficient α" in result.stdout


# Bad input: one line on stderr naming the file (and the line), exit code 2, never a traceback.

def assert_refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message


def test_unknown_spec(tmp_path):
    result = runner.invoke(app, ["score", "--spec", "TBSC999", "--answers", str(tmp_path / "a.csv")])
    assert_refused(result, "TBSC999", "TBSC120")


def test_spec_id_is_case_insensitive(tmp_path):
    path = answers_csv(tmp_path / "a.csv", SAMPLE)
    result = runner.invoke(app, ["score", "--spec", "tbsc120", "--answers", str(path), "--format", "json"])
    assert json.loads(result.stdout)["spec"] == "TBSC120"


@pytest.mark.parametrize(("row", "words"), [
    ("A,8.1,4", ["unknown item \"8.1\"", "line 2"]),
    ("A,1.1,6", ["rating \"6\"", "line 2"]),
    ("A,1.1,0", ["rating \"0\""]),
    ("A,1.1,x", ["rating \"x\""]),
    ("A,1.1,4.5", ["rating \"4.5\""]),
    ("A,1.1,", ["rating \"\""]),
    (",1.1,4", ["respondent is empty", "line 2"]),
    ("A,1.1", ["expected 3 values, found 2", "line 2"]),
])
def test_bad_answer_row(tmp_path, row, words):
    path = tmp_path / "bad.csv"
    path.write_text(f"respondent,item,rating\n{row}\n", encoding="utf-8")
    assert_refused(score("--answers", path), str(path), *words)


def test_duplicate_answer_names_both_lines(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("respondent,item,rating\nA,1.1,4\nA,1.2,4\nA,1.1,5\n", encoding="utf-8")
    assert_refused(score("--answers", path), "line 4", "respondent A rated item 1.1 twice",
                   "first on line 2")


@pytest.mark.parametrize("header", ["id,question,score", "respondent,item", "rating"])
def test_wrong_or_missing_columns(tmp_path, header):
    path = tmp_path / "columns.csv"
    path.write_text(f"{header}\nA,1.1,4\n", encoding="utf-8")
    assert_refused(score("--answers", path), str(path), "missing column", "respondent,item,rating")


@pytest.mark.parametrize(("content", "words"), [
    (b"", ["the file is empty"]),
    (b"\xef\xbb\xbf\r\n", ["the file is empty"]),
    (b"respondent,item,rating\r\n", ["no rows under the header"]),
    ("respondent,item,rating\n张三,1.1,4\n".encode("gbk"), ["not UTF-8"]),
])
def test_unusable_file(tmp_path, content, words):
    path = tmp_path / "answers.csv"
    path.write_bytes(content)
    assert_refused(score("--answers", path), str(path), *words)


def test_missing_file(tmp_path):
    assert_refused(score("--answers", tmp_path / "nowhere.csv"), "nowhere.csv", "file not found")


def test_errors_are_translated(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("respondent,item,rating\nA,1.1,9\n", encoding="utf-8")
    assert_refused(score("--answers", path, lang="zh"), "第 2 行", "评分“9”不是 1 至 5 的整数")


def test_no_complete_respondent_is_an_error(tmp_path):
    path = tmp_path / "partial.csv"
    path.write_text("respondent,item,rating\nA,1.1,4\nB,2.1,5\n", encoding="utf-8")
    result = score("--answers", path)
    assert result.exit_code == 2
    assert "respondent A left out" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"{path}: no respondent answered every item"


@pytest.mark.parametrize(("rows", "words"), [
    ("8.1,3\n", ["unknown requirement \"8.1\"", "line 2"]),
    ("1.1,0\n", ["level \"0\""]),
    ("1.1,6\n", ["level \"6\""]),
    ("1.1,three\n", ["level \"three\""]),
    ("1.1,3\n1.1,4\n", ["line 3", "requirement 1.1 is rated twice", "first on line 2"]),
])
def test_bad_maturity_row(tmp_path, rows, words):
    maturity = tmp_path / "m.csv"
    maturity.write_text("requirement,level\n" + rows, encoding="utf-8")
    result = score("--answers", answers_csv(tmp_path / "a.csv", SAMPLE), "--maturity", maturity)
    assert_refused(result, str(maturity), *words)


def test_bad_maturity_file(tmp_path):
    answers = answers_csv(tmp_path / "a.csv", SAMPLE)
    assert_refused(score("--answers", answers, "--maturity", tmp_path / "no.csv"), "file not found")
    columns = tmp_path / "cols.csv"
    columns.write_text("code,maturity\n1.1,3\n", encoding="utf-8")
    assert_refused(score("--answers", answers, "--maturity", columns), "requirement,level")


def test_unrated_requirements_are_named_and_count_zero(tmp_path):
    # only the 8 weight-10 requirements rated, at level 5: 8 × 10 = 80 → 三级
    maturity = tmp_path / "m.csv"
    weight_10 = [r.code for r in SPEC.requirements if r.weight == 10]
    rows = "".join(f"{code},5\n" for code in weight_10)
    maturity.write_text("requirement,level\n" + rows, encoding="utf-8")
    answers = answers_csv(tmp_path / "a.csv", SAMPLE)
    result = score("--answers", answers, "--maturity", maturity, "--format", "json")
    assert result.exit_code == 0
    assert "not rated, counted as 0: 1.1, 1.2" in result.stderr
    management = json.loads(result.stdout)["management"]
    assert (management["total"], management["level"]) == (80, 3)
    assert len(management["unrated_requirements"]) == 13


# "Not applicable": NA in the rating column.

def na_csv(path: Path, rows: dict[str, dict[str, int | None]], default: int = 4) -> Path:
    lines = ["respondent,item,rating"] + [
        f"{who},{code},{'NA' if ratings.get(code, default) is None else ratings.get(code, default)}"
        for who, ratings in rows.items() for code in ITEMS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NA_SAMPLE = {  # the hand-worked sample of tests/unit/test_scoring_not_applicable.py, plus an all-NA response
    "A": {"1.1": 5, "1.2": 5},
    "B": {"1.1": 3, "1.2": 3},
    "C": {"1.1": None},
    "D": dict.fromkeys(ITEMS),
}


def test_na_ratings_score_as_the_scoring_functions_do(tmp_path):
    result = score("--answers", na_csv(tmp_path / "na.csv", NA_SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "respondent D not scored" in result.stderr
    data = json.loads(result.stdout)
    # The same data through scoring/ directly: every complete response, D's NA counted as NA.
    responses = [{code: ratings.get(code, 4) for code in ITEMS} for ratings in NA_SAMPLE.values()]
    histograms = histograms_of(responses, ITEMS)
    items = {item.code: item for item in item_scores(SPEC, histograms)}
    totals = TotalsSummary.of(t for t in (respondent_total(SPEC, r) for r in responses) if t is not None)
    interval = service_interval(SPEC, histograms, totals, 3, pair_histograms_of(responses, ITEMS))
    service = service_result(list(items.values()))
    assert data["respondents"] == 3 and data["not_scored_respondents"] == ["D"]
    assert data["items"][0] == {"code": "1.1", "weight": 5, "alpha": 0.8, "score": 4.0, "n": 2}
    assert data["not_applicable"]["1.1"] == items["1.1"].not_applicable == 2  # C and D
    assert data["not_applicable"]["1.2"] == 1  # D
    assert [item["alpha"] for item in data["items"]] == [round(items[code].alpha, 6) for code in ITEMS]
    assert data["service_score"] == float(display(service.score)) == 80.0
    assert data["unrated_items"] == [] and data["responses_to_determine"] == 0
    assert data["ci95"] == [float(display(interval.low)), float(display(interval.high))] == [72.8, 87.2]
    assert data["grade_settled"] is False and data["standing"] == "provisional"  # 72.8–87.2 crosses 80


def test_an_item_rated_by_nobody_leaves_the_score_undetermined(tmp_path):
    path = na_csv(tmp_path / "na.csv", {"A": {"3.2": None}, "B": {"3.2": None}}, default=5)
    data = score_json("--answers", path, "--maturity", maturity_csv(tmp_path / "m.csv", 5))
    assert data["service_score"] is None and data["service_grade"] is None and data["ci95"] is None
    assert data["unrated_items"] == ["3.2"] and data["responses_to_determine"] == 1
    items = {item["code"]: item for item in data["items"]}
    assert items["3.2"] == {"code": "3.2", "weight": 5, "alpha": None, "score": None, "n": 0}
    assert [c["score"] for c in data["characteristics"] if c["code"] in "23"] == [15.0, None]
    assert data["certification"] is None
    table = score("--answers", path, lang="zh").stdout
    assert "服务特性测评得分未确定：测评项 3.2 尚无人评分" in table
    assert "至少还需要 1 份对这些测评项都给出评分的答卷" in table
    row = next(line for line in table.splitlines() if "3.2. " in line)
    assert row.split()[-4:] == ["-", "-", "0", "2"]  # α, score, rated, not applicable
    score_row = next(line for line in table.splitlines() if line.startswith("服务特性测评得分"))
    assert "未确定" in score_row


@pytest.mark.parametrize("value", ["NA", "na", "N/A", "n/a"])
def test_na_is_read_in_any_case(tmp_path, value):
    path = tmp_path / "one.csv"
    path.write_text("respondent,item,rating\n" + "".join(
        f"A,{code},{value if code == '7' else 5}\n" for code in ITEMS), encoding="utf-8")
    data = score_json("--answers", path)
    assert data["not_applicable"]["7"] == 1 and data["unrated_items"] == ["7"]
