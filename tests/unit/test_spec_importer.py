"""`surveybot specs import`: a spec document becomes a spec file equal to the bundled one.

The three seed documents (tests/data/importer/, copies of the certification body's Word exports)
are imported and compared with specs/data/<id>.yaml in every field the document holds. The other
shapes a document comes in (Markdown, mixed full-/half-width punctuation, CRLF with BOM, .docx)
are made from the TBSC120 seed in the test and must give the same spec; damaged copies must be
refused with exit code 2 and a line naming what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from bot.adapters.settings import Settings
from bot.cli import app
from specs import Spec, load_catalog, load_spec_file
from specs.importer import ImportResult, import_spec
from specs.importer.normalize import clean_lines
from specs.loader import BUNDLED_DIR
from specs.model import TODO_TRANSLATE

SEEDS_DIR = Path(__file__).parents[1] / "data" / "importer"
SEEDS = {
    "TBSC120": SEEDS_DIR / "smart-city-steward_TBSC120.txt",
    "TBSC97": SEEDS_DIR / "customer-complaint_TBSC97.txt",
    "TBSC55": SEEDS_DIR / "performance-excellence_TBSC55.txt",
}
runner = CliRunner()


def seed_text(spec_id: str = "TBSC120") -> str:
    return SEEDS[spec_id].read_text(encoding="utf-8")


def bundled(spec_id: str) -> Spec:
    path = BUNDLED_DIR / f"{spec_id.lower()}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not bundled yet")
    return load_spec_file(path)


def imported(text: str, tmp_path: Path, name: str = "spec.txt") -> ImportResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_spec(path)


def run_import(document: Path, output: Path, *options: str) -> tuple[int, str]:
    result = runner.invoke(app, ["specs", "import", str(document), "-o", str(output), *options])
    return result.exit_code, result.output


def items_of(spec: Spec) -> list[tuple[str, str, str, int, str]]:
    return [
        (item.code, spec.characteristic_of(item.code).name.zh, item.dimension.zh, item.weight,
         item.statement.zh)
        for item in spec.items
    ]


def requirements_of(spec: Spec) -> list[tuple[str, str, str, int]]:
    return [(r.code, spec.group_of(r.code).name.zh, r.name.zh, r.weight) for r in spec.requirements]


def rules_of(spec: Spec) -> tuple[object, ...]:
    """The scoring rules: scale, characteristic maxima, management levels and max, §5.3 table."""
    return (
        [(p.rating, p.label.zh, p.low, p.high, p.alpha) for p in spec.scale],
        [(c.code, c.max) for c in spec.characteristics],
        [(lv.level, lv.label.zh, lv.min_total) for lv in spec.management_levels],
        spec.management_max,
        [
            (row.grade.zh if row.grade else None, row.min_service, row.min_management_level)
            for row in spec.certification
        ],
    )


def assert_same_content(got: Spec, want: Spec) -> None:
    assert items_of(got) == items_of(want)
    assert requirements_of(got) == requirements_of(want)
    assert rules_of(got) == rules_of(want)


# --- the seed documents -------------------------------------------------------------------------


@pytest.mark.parametrize("spec_id", list(SEEDS))
def test_seed_document_imports_to_the_bundled_spec(spec_id: str, tmp_path: Path) -> None:
    want = bundled(spec_id)
    output = tmp_path / f"{spec_id.lower()}.yaml"

    exit_code, printed = run_import(SEEDS[spec_id], output)

    assert exit_code == 0, printed
    got = load_spec_file(output)
    assert (got.id, got.document, got.version, got.issued, got.effective) == (
        want.id,
        want.document,
        want.version,
        want.issued,
        want.effective,
    )
    assert got.service.zh == want.service.zh
    assert got.references == want.references
    assert_same_content(got, want)
    assert "items: 19 in 7 characteristics, total weight 100" in printed
    assert "management total 145" in printed


def test_level_descriptions_are_read_without_their_markers(tmp_path: Path) -> None:
    want = bundled("TBSC120")
    got = import_spec(SEEDS["TBSC120"]).spec

    assert got is not None
    assert [[t.zh for t in g.level_descriptions] for g in got.management] == [
        [t.zh for t in g.level_descriptions] for g in want.management
    ]
    assert got.management[2].level_descriptions[0].zh.startswith("组织对于服务认证")


def test_empty_level_cells_reuse_the_group_above_and_the_summary_says_so() -> None:
    result = import_spec(SEEDS["TBSC97"])

    assert result.spec is not None
    first, *others = [[t.zh for t in g.level_descriptions] for g in result.spec.management]
    assert first[0] == "服务认证管理"  # the document's cell is cut short; the importer does not invent text
    assert all(texts == first for texts in others)
    summary = "\n".join(result.summary())
    assert "level descriptions of group 2, 3, 4, 5, 6, 7 empty; they reuse those of group 1" in summary
    assert "look cut short" in summary


def test_english_comes_from_the_fixed_vocabulary_or_is_left_to_translate(tmp_path: Path) -> None:
    output = tmp_path / "tbsc120.yaml"

    exit_code, printed = run_import(SEEDS["TBSC120"], output, "--service-en", "Smart City Steward Service")

    assert exit_code == 0, printed
    spec = load_spec_file(output)
    assert spec.service.en == "Smart City Steward Service"
    assert [c.name.en for c in spec.characteristics][:3] == ["Functionality", "Safety", "Timeliness"]
    assert spec.item("1.2").dimension.en == "Equipment and facilities"
    assert [p.label.en for p in spec.scale][0] == "Far below expectations"
    assert [lv.label.en for lv in spec.management_levels] == [f"Level {n}" for n in range(1, 6)]
    assert [row.grade.en for row in spec.certification if row.grade] == ["5-star", "4-star", "3-star"]
    assert spec.item("1.1").statement.en == TODO_TRANSLATE
    assert spec.item("1.1").statement.in_language("en") == spec.item("1.1").statement.zh
    assert spec.item("1.1").question.zh == "与您的预期相比，工作人员在准确、完整地履行其岗位核心职责方面做得如何？"
    assert spec.item("1.1").question.en == TODO_TRANSLATE


def test_letter_grades_are_read_as_spec_data(tmp_path: Path) -> None:
    text = seed_text()
    for stars, letters in (("三星级", "AAA级"), ("四星级", "AAAA级"), ("五星级", "AAAAA级")):
        text = text.replace(f"●{stars}", f"●{letters}")

    spec = imported(text, tmp_path).spec

    assert spec is not None
    assert [(row.grade.zh, row.grade.en) for row in spec.certification if row.grade] == [
        ("AAAAA级", "AAAAA"),
        ("AAAA级", "AAAA"),
        ("AAA级", "AAA"),
    ]


def test_id_comes_from_the_document_number_unless_given(tmp_path: Path) -> None:
    output = tmp_path / "custom.yaml"

    exit_code, printed = run_import(SEEDS["TBSC120"], output, "--id", "tbsc999")

    assert exit_code == 0, printed
    assert load_spec_file(output).id == "TBSC999"
    assert import_spec(SEEDS["TBSC55"]).spec.id == "TBSC55"


def test_written_spec_is_offered_from_specs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    specs_dir = tmp_path / "specs"
    specs_dir.mkdir()
    exit_code, printed = run_import(SEEDS["TBSC97"], specs_dir / "tbsc970.yaml", "--id", "TBSC970")
    assert exit_code == 0, printed
    monkeypatch.setenv("SPECS_DIR", str(specs_dir))

    catalog = load_catalog(Settings().specs_dir)

    assert catalog.refused == []
    offered = catalog.get("TBSC970")
    assert offered is not None
    assert offered.service.zh == "客户投诉服务"
    assert len(offered.items) == 19


# --- other shapes of the same document ----------------------------------------------------------

HEADING = re.compile(r"^(\d+(?:\.\d+)*\.? \S+|附录 ?\d .+)$")
TABLE_HEADERS = ("服务特性指标", "管理要求", "序号", "关键要素")


def as_markdown(text: str) -> str:
    """Headings with #, bold labels and cells, pipe tables, a <br> in a cell, LaTeX α in a header."""
    text = text.replace("体验系数 α", "体验系数 $\\alpha$")
    text = text.replace("精准匹配", "精准<br>匹配")
    text = re.sub(r"(文件编号|版本号|发布日期|生效日期)：", r"**\1：**", text)
    lines = []
    for line in text.split("\n"):
        if "\t" in line and not re.search(r"\t\d+$", line):
            cells = ["**1. 功能性/17分**" if cell == "1. 功能性/17分" else cell for cell in line.split("\t")]
            lines.append("| " + " | ".join(cells) + " |")
            if cells[0] in TABLE_HEADERS:
                lines.append("|" + "---|" * len(cells))
        elif HEADING.match(line):
            lines.append(("## " if re.match(r"^\d+\.\d", line) else "# ") + line)
        else:
            lines.append(line)
    return "\n".join(lines)


def with_mixed_punctuation(text: str) -> str:
    """Full-width where the seed is half-width and back, and spaces before 分."""
    text = re.sub(r"(文件编号|版本号|发布日期|生效日期)：", r"\1: ", text)
    text = re.sub(r"(?m)^(\t?)(\d)\.(\d)\. ", r"\1\2．\3．", text)
    text = re.sub(r"(?m)^(\d)\. (\S+)/(\d+)分\t", r"\1．\2／\3 分\t", text)
    text = re.sub(r"/(\d+)分\t", r"/\1 分\t", text)
    text = re.sub(r"(\d+)分 ≤ 总分 ([<≤]) (\d+)分，", r"\1 分 ≤ 总分 \2 \3 分,", text)
    text = re.sub(r"(星级|预期)：", r"\1:", text)
    text = text.replace("60—79分", "60—79 分").replace("\t10\t2\t4", "\t1 0\t2\t4")
    return text


def as_word(text: str, path: Path) -> Path:
    """Paragraphs for the text, real Word tables (with a merged first column) for Appendices 1 and 3."""
    document = docx.Document()
    rows: list[list[str]] = []
    in_table = False
    for line in text.split("\n"):
        if "\t" not in line and re.match(r"^附录 ?\d", line):
            _add_table(document, rows)
            in_table = bool(re.match(r"^附录 ?[13](?!\d)", line))
        if in_table and "\t" in line:
            rows.append(line.split("\t"))
        elif not (in_table and rows and not line):
            _add_table(document, rows)
            document.add_paragraph(line)
    _add_table(document, rows)
    document.save(str(path))
    return path


def _add_table(document: docx.document.Document, rows: list[list[str]]) -> None:
    if not rows:
        return
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    group_start = None
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
        if re.match(r"^\d", row[0]):
            group_start = r
        elif row[0] or not re.match(r"^\d", row[1] if len(row) > 1 else ""):
            group_start = None
        elif group_start is not None:
            table.cell(group_start, 0).merge(table.cell(r, 0))
    rows.clear()


SHAPES: dict[str, Callable[[str, Path], Path]] = {
    "markdown": lambda text, tmp: _write(tmp / "spec.md", as_markdown(text)),
    "mixed punctuation": lambda text, tmp: _write(tmp / "spec.txt", with_mixed_punctuation(text)),
    "crlf and bom": lambda text, tmp: _write(tmp / "spec.txt", "\ufeff" + text.replace("\n", "\r\n")),
    "docx": lambda text, tmp: as_word(text, tmp / "spec.docx"),
}


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_of_the_document_gives_the_same_spec(shape: str, tmp_path: Path) -> None:
    document = SHAPES[shape](seed_text(), tmp_path)

    result = import_spec(document)

    assert result.problems == []
    assert result.spec is not None
    want = bundled("TBSC120")
    assert_same_content(result.spec, want)
    assert result.spec.document == "CTS TBSC120-2026"
    assert result.spec.issued == want.issued


def test_the_variants_really_differ_from_the_seed(tmp_path: Path) -> None:
    markdown = as_markdown(seed_text())
    assert "| 服务特性指标 | 服务过程质量指标 | 评价内容 | 单项分值 | 体验系数 $\\alpha$ |" in markdown
    assert "# 附录 1 智慧城市管家服务要求（服务能力评价评分表）" in markdown
    assert "精准<br>匹配" in markdown
    mixed = with_mixed_punctuation(seed_text())
    assert "1．功能性／17 分\t1.1. 人员/5 分\t" in mixed
    assert "\t4．3．环境/5 分\t" in mixed
    assert "\t4．2．能力\t1 0\t" in mixed
    assert "105 分 ≤ 总分 ≤ 145 分,五级" in mixed
    word = docx.Document(str(as_word(seed_text(), tmp_path / "spec.docx")))
    assert len(word.tables) == 2
    assert word.tables[0].cell(1, 0)._tc is word.tables[0].cell(3, 0)._tc  # 功能性 merged down 3 rows


def test_markup_is_removed_from_text_and_tables() -> None:
    lines = clean_lines(
        "\ufeff# 附录 1 **服务要求**\r\n| a | b<br>c |\r\n|---|---|\r\n"
        "- ② 低于预期： $0.2 < \\alpha \\leq 0.4$ ；\r\n<tr><td></td><td>1.2. 人员/5分</td></tr>\r\n"
    )

    assert lines == [
        "附录 1 服务要求", "a\tbc", "② 低于预期： 0.2 < α ≤ 0.4 ；", "", "\t1.2. 人员/5分", "", ""
    ]


# --- damaged documents --------------------------------------------------------------------------


def without_row(text: str) -> str:
    return re.sub(r"(?m)^\t2\.2\. 设备设施/5分\t.*\n", "", text)


def with_weights_short_of_100(text: str) -> str:
    return text.replace("1. 功能性/17分\t", "1. 功能性/12分\t").replace(
        "\t1.2. 设备设施/7分\t", "\t1.2. 设备设施/2分\t"
    ).replace("有效地提供。\t7\t", "有效地提供。\t2\t")


def cut_in_appendix_1(text: str) -> str:
    body = text.index("\n附录 1 ", text.index("5.3 认证结果\n"))
    return text[: text.index("\t4.2. ", body)]


def without_appendix_3(text: str) -> str:
    start = text.index("\n附录3 ", text.index("5.3 认证结果\n"))
    return text[:start] + text[text.index("\n附录 4 ", start) :]


DAMAGES: dict[str, tuple[Callable[[str], str], list[str]]] = {
    "missing row": (without_row, ["附录 1: item 2.2 not found", "附录 1: weights sum to 95, not 100"]),
    "weights": (with_weights_short_of_100, ["附录 1: weights sum to 95, not 100"]),
    "truncated": (
        cut_in_appendix_1,
        [
            "附录 1: item 4.2 not found",
            "附录 1: the table ends without its 总计 row (is the document cut short?)",
            "附录 2: not found",
            "附录 3: not found",
        ],
    ),
    "no appendix 3": (without_appendix_3, ["附录 3: not found", "附录 3 说明: management levels not found"]),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_document_is_refused_with_what_is_wrong(damage: str, tmp_path: Path) -> None:
    damaged, expected = DAMAGES[damage]
    document = _write(tmp_path / "damaged.txt", damaged(seed_text()))
    assert document.read_text(encoding="utf-8") != seed_text()
    output = tmp_path / "out.yaml"

    exit_code, printed = run_import(document, output)

    assert exit_code == 2
    assert "Traceback" not in printed
    for line in expected:
        assert line in printed
    assert not output.exists()


def test_weight_cell_that_disagrees_with_its_item_cell_is_named(tmp_path: Path) -> None:
    text = seed_text().replace("有效地提供。\t7\t", "有效地提供。\t6\t")

    result = imported(text, tmp_path)

    assert result.spec is None
    assert "附录 1: item 1.2: 单项分值 is 6 but 设备设施/7分 says 7" in result.problems


def test_unreadable_word_file_is_refused_without_traceback(tmp_path: Path) -> None:
    document = _write(tmp_path / "broken.docx", "not a zip")

    exit_code, printed = run_import(document, tmp_path / "out.yaml")

    assert exit_code == 2
    assert "broken.docx: cannot read" in printed
    assert "Traceback" not in printed
