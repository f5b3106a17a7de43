"""`surveybot specs show`: what a spec's Appendix 1 asks (`specs list` reads the database:
tests/services/test_spec_revisions.py)."""

from __future__ import annotations

import pytest
from spec_fixtures import bundled_spec_data, write_spec
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def specs(*args: str):
    return runner.invoke(app, ["specs", *args])


def test_show_reads_specs_from_the_operators_directory(tmp_path, monkeypatch):
    data = bundled_spec_data("TBSC120")
    data["id"] = "TBSC999"
    data["service"] = {"zh": "测试服务", "en": "Test service"}
    write_spec(tmp_path, "tbsc999.yaml", data)
    monkeypatch.setenv("SPECS_DIR", str(tmp_path))
    result = specs("show", "tbsc999", "--lang", "zh")
    assert result.exit_code == 0
    assert result.stdout.startswith("CTS TBSC120-2026  测试服务  (B/0)")


@pytest.mark.parametrize("spec_id", ["TBSC120", "tbsc120", " Tbsc120 "])
def test_show_accepts_the_id_in_any_case(spec_id):
    result = specs("show", spec_id, "--lang", "zh")
    assert result.exit_code == 0
    assert result.stdout.startswith("CTS TBSC120-2026  智慧城市管家服务  (B/0)")


def test_show_prints_appendix_1_with_weights_and_total_100():
    lines = specs("show", "TBSC120", "--lang", "zh").stdout.splitlines()
    header = next(line for line in lines if line.startswith("服务特性指标"))
    assert header.split() == ["服务特性指标", "服务过程质量指标", "评价内容", "单项分值"]
    first_item = next(line for line in lines if "1.1. 人员/5分" in line)
    assert first_item.startswith("1. 功能性/17分")
    assert first_item.split()[-1] == "5"
    assert next(line for line in lines if "1.2. 设备设施/7分" in line).split()[-1] == "7"
    assert next(line for line in lines if "制定服务规范/8分" in line).startswith("7. 服务规范/8分")
    assert next(line for line in lines if line.startswith("总计")).split() == ["总计", "100"]
    # statements are shown in full, wrapped: the end of the longest one is there
    assert "保障使用者与操作者的人身安全。" in "".join(line.strip() for line in lines)


def test_show_in_english():
    result = specs("show", "TBSC120", "--lang", "en")
    assert "Evaluation content" in result.stdout
    assert "1.1. Personnel/5 points" in result.stdout


def test_unknown_id_is_one_line_and_exit_code_2():
    result = specs("show", "TBSC000", "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout == ""
    [message] = result.stderr.strip().splitlines()
    assert message.startswith('unknown spec "TBSC000" (known: ')
    assert "TBSC120" in message
