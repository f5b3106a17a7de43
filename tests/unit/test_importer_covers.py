"""`surveybot specs import` on covers that carry a revision history instead of a single 发布日期.

tests/data/importer/revised-cover_TBSC97.txt is the TBSC97 seed document with its cover's 发布日期 and
生效日期 lines replaced by a revision history (首次发布日期：2019-03-01, 第5次修订发布实施,
生效日期：2026-01-08). It imports, the spec file records first issue, number of revisions and the
date the revision in force took effect, and it scores exactly as the bundled TBSC97. A cover line the
importer cannot read is a warning naming the line, not a refusal, while the scoring parts are whole.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from scoring.certification import certify
from scoring.management import management_level, management_total
from scoring.rounding import display
from scoring.service import item_scores, service_grade, service_score
from specs import Spec, load_spec_file
from specs.importer import import_spec
from specs.importer.cover import read_cover
from specs.importer.findings import Findings
from specs.loader import BUNDLED_DIR

DATA = Path(__file__).parents[1] / "data" / "importer"
REVISED = DATA / "revised-cover_TBSC97.txt"
SEEDS = sorted(DATA.glob("*_TBSC*.txt"))
runner = CliRunner()


def run_import(document: Path, output: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["specs", "import", str(document), "-o", str(output)])
    return result.exit_code, result.stdout, result.stderr


def with_cover(tmp_path: Path, old: str, new: str) -> Path:
    text = REVISED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "spec.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bundled() -> Spec:
    return load_spec_file(BUNDLED_DIR / "tbsc97.yaml")


# --- the revision-history cover -----------------------------------------------------------------


def test_fixture_differs_from_the_seed_only_in_its_cover() -> None:
    seed = (DATA / "customer-complaint_TBSC97.txt").read_text(encoding="utf-8")
    revised = REVISED.read_text(encoding="utf-8")
    assert "发布日期：20260108" in seed and "\n发布日期" not in revised
    assert revised.replace("首次发布日期：2019-03-01\n\n第5次修订发布实施\n\n生效日期：2026-01-08\n",
                           "发布日期：20260108\n\n生效日期：20260108\n") == seed


def test_revision_history_is_recorded_in_the_spec_file(tmp_path: Path) -> None:
    output = tmp_path / "tbsc97.yaml"

    code, out, err = run_import(REVISED, output)

    assert code == 0, err
    assert err == ""  # nothing on the cover was left unread
    spec = load_spec_file(output)
    assert (spec.first_issued, spec.revision) == (dt.date(2019, 3, 1), 5)
    assert (spec.effective, spec.issued) == (dt.date(2026, 1, 8), dt.date(2026, 1, 8))
    written = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert (written["first_issued"], written["revision"], written["effective"]) == ("2019-03-01", 5, "2026-01-08")
    assert "issued 2026-01-08, effective 2026-01-08, first issued 2019-03-01, revision 5" in out
    assert ("note: 封面: no 发布日期 for the revision in force: its 生效日期 2026-01-08 is taken as the issue "
            "date too (第5次修订发布实施)") in out


def test_revision_history_cover_scores_exactly_as_the_bundled_spec(bundled: Spec) -> None:
    spec = import_spec(REVISED).spec

    assert spec is not None
    assert spec.id == bundled.id
    assert [(c.code, c.name.zh, c.max) for c in spec.characteristics] == [
        (c.code, c.name.zh, c.max) for c in bundled.characteristics]
    assert [(i.code, i.dimension.zh, i.weight, i.statement.zh) for i in spec.items] == [
        (i.code, i.dimension.zh, i.weight, i.statement.zh) for i in bundled.items]
    assert spec.alphas == bundled.alphas
    assert [(p.rating, p.label.zh, p.low, p.high) for p in spec.scale] == [
        (p.rating, p.label.zh, p.low, p.high) for p in bundled.scale]
    assert [(r.code, r.weight) for r in spec.requirements] == [(r.code, r.weight) for r in bundled.requirements]
    assert [(lv.level, lv.label.zh, lv.min_total) for lv in spec.management_levels] == [
        (lv.level, lv.label.zh, lv.min_total) for lv in bundled.management_levels]
    assert spec.management_max == bundled.management_max
    assert [(r.grade.zh if r.grade else None, r.min_service, r.min_management_level) for r in spec.certification] \
        == [(r.grade.zh if r.grade else None, r.min_service, r.min_management_level) for r in bundled.certification]
    # and the same answers give the same figures, grade and certification
    histograms = {item.code: {1 + index % 5: 3, 5: 7} for index, item in enumerate(bundled.items)}
    levels = {r.code: 1 + index % 5 for index, r in enumerate(bundled.requirements)}
    for_each = [_figures(candidate, histograms, levels) for candidate in (spec, bundled)]
    assert for_each[0] == for_each[1]


def _figures(spec: Spec, histograms: dict[str, dict[int, int]],
             levels: dict[str, int]) -> tuple[object, ...]:
    scores = item_scores(spec, histograms)
    shown: Decimal = display(service_score(scores))
    grade = service_grade(spec, shown)
    total = management_total(spec, levels)
    level = management_level(spec, total)
    result = certify(spec, shown, level)
    return ([(s.code, s.score) for s in scores], shown, grade.zh if grade else None, total, level,
            result.grade.zh if result.grade else None, result.certified)


# --- cover lines the importer cannot read -------------------------------------------------------


def test_an_unreadable_cover_line_is_a_warning_naming_it(tmp_path: Path) -> None:
    document = with_cover(tmp_path, "首次发布日期：2019-03-01\n",
                          "首次发布日期：二〇一九年三月\n\n复审日期：2025年2月30日\n")
    output = tmp_path / "out.yaml"

    code, out, err = run_import(document, output)

    assert code == 0, err
    assert err.splitlines() == [
        "warning: 封面: cannot read the line '首次发布日期：二〇一九年三月'",
        "warning: 封面: cannot read the line '复审日期：2025年2月30日'",
    ]
    spec = load_spec_file(output)
    assert (spec.first_issued, spec.revision, spec.effective) == (None, 5, dt.date(2026, 1, 8))
    assert "# warning: 封面: cannot read the line '复审日期：2025年2月30日'" in output.read_text(encoding="utf-8")
    assert import_spec(document).warnings == [line.removeprefix("warning: ") for line in err.splitlines()]


def test_an_unreadable_cover_does_not_rescue_an_incomplete_document(tmp_path: Path) -> None:
    document = with_cover(tmp_path, "生效日期：2026-01-08\n", "生效日期：2026-01-08\n\n修订日期：待定\n")
    text = document.read_text(encoding="utf-8")
    start = text.index("\n附录3 ", text.index("5.3 认证结果\n"))
    document.write_text(text[:start] + text[text.index("\n附录 4 ", start):], encoding="utf-8")
    output = tmp_path / "out.yaml"

    code, out, err = run_import(document, output)

    assert code == 2
    assert "warning: 封面: cannot read the line '修订日期：待定'" in err
    assert "附录 3: not found" in err
    assert not output.exists()


def test_a_cover_without_any_readable_date_is_refused(tmp_path: Path) -> None:
    document = with_cover(tmp_path, "生效日期：2026-01-08\n", "生效日期：2026年1月\n")

    result = import_spec(document)

    assert result.spec is None
    assert result.problems == ["封面: no readable 发布日期 or 生效日期 (e.g. 发布日期：20260228)"]
    assert result.warnings == ["封面: cannot read the line '生效日期：2026年1月'"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_plain_and_revised_covers_leave_nothing_unread(seed: Path) -> None:
    result = import_spec(seed)

    assert result.ok and result.warnings == []


# --- the shapes a cover comes in ----------------------------------------------------------------

COVERS: dict[str, tuple[list[str], tuple[object, ...]]] = {
    "first edition": (["发布日期：20260228", "生效日期：20260301"],
                      (dt.date(2026, 2, 28), dt.date(2026, 3, 1), None, None)),
    "history, Chinese numeral": (["首次发布日期：2019年3月1日", "第五次修订发布实施", "生效日期：2024.01.01"],
                                 (dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2019, 3, 1), 5)),
    "history with its own issue date": (["首次发布日期：2019-03-01", "修订次数：12", "发布日期：2023-12-15",
                                          "生效日期：2024-01-01"],
                                         (dt.date(2023, 12, 15), dt.date(2024, 1, 1), dt.date(2019, 3, 1), 12)),
    "date on the revision line": (["首次发布日期：2019-03-01", "2023年12月15日第十二次修订发布",
                                   "实施日期：2024-01-01"],
                                  (dt.date(2023, 12, 15), dt.date(2024, 1, 1), dt.date(2019, 3, 1), 12)),
    "standard's cover": (["2019-03-01发布    2019-10-01实施"],
                         (dt.date(2019, 3, 1), dt.date(2019, 10, 1), None, None)),
    "never revised": (["首次发布日期：2019-03-01"],
                      (dt.date(2019, 3, 1), dt.date(2019, 3, 1), dt.date(2019, 3, 1), None)),
}


@pytest.mark.parametrize("cover", list(COVERS))
def test_cover_shapes(cover: str) -> None:
    lines, (issued, effective, first_issued, revision) = COVERS[cover]
    findings = Findings()

    read = read_cover(["江西腾标认证有限公司", "文件编号：CTS TBSC1-2026", "版本号：B/0", *lines, "目录"],
                      findings)

    assert (read.issued, read.effective, read.first_issued, read.revision) == (
        issued, effective, first_issued, revision)
    assert (read.document, read.version) == ("CTS TBSC1-2026", "B/0")
    assert findings.problems == [] and findings.warnings == []


def test_disagreeing_revision_counts_warn_and_keep_the_first() -> None:
    findings = Findings()

    read = read_cover(["文件编号：CTS TBSC1-2026", "版本号：B/0", "修订次数：5", "第6次修订发布实施",
                       "生效日期：2024-01-01"], findings)

    assert read.revision == 5
    assert findings.warnings == [
        "封面: the line '第6次修订发布实施' disagrees with '修订次数：5'; the first one is used"]


def test_dates_after_the_cover_are_not_taken_for_the_cover() -> None:
    findings = Findings()

    read = read_cover(["文件编号：CTS TBSC1-2026", "版本号：B/0", "发布日期：20260228", "目录",
                       "1. 范围", "本规范的修订日期：见附件"], findings)

    assert read.issued == dt.date(2026, 2, 28)
    assert findings.warnings == []
