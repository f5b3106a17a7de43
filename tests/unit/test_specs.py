"""The five bundled specs, and the refusal of broken spec files with a message that says where."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel
from spec_fixtures import SpecData, bundled_spec_data, damaged_spec, delete_field, set_field, write_spec

from specs import Spec, SpecCatalog, SpecError, load_catalog, load_spec_file
from specs.loader import BUNDLED_DIR
from specs.model import Text

SPEC_IDS = ["TBSC120", "TBSC97", "TBSC55", "TBSC134", "TBSC94"]
SERVICE_NAMES = {
    "TBSC120": "智慧城市管家服务",
    "TBSC97": "客户投诉服务",
    "TBSC55": "卓越绩效服务",
    "TBSC134": "履约能力服务",
    "TBSC94": "企业质量信用服务",
}
STAR_GRADES = ["五星级", "四星级", "三星级"]
AAA_GRADES = ["AAAAA级", "AAAA级", "AAA级"]
ITEM_CODES = [f"{c}.{i}" for c in range(1, 7) for i in range(1, 4)] + ["7"]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.fixture(scope="module")
def catalog() -> SpecCatalog:
    return load_catalog()


@pytest.fixture(params=SPEC_IDS)
def spec(request: pytest.FixtureRequest, catalog: SpecCatalog) -> Spec:
    found = catalog.get(request.param)
    assert found is not None, f"{request.param} is not bundled"
    return found


def test_the_five_specs_are_bundled_and_none_refused(catalog: SpecCatalog) -> None:
    assert sorted(s.id for s in catalog) == sorted(SPEC_IDS)
    assert catalog.refused == []


def test_a_spec_has_19_items_weighing_100(spec: Spec) -> None:
    assert [item.code for item in spec.items] == ITEM_CODES
    assert sum(item.weight for item in spec.items) == 100
    assert [c.max for c in spec.characteristics] == [17, 15, 15, 15, 15, 15, 8]
    assert [c.name.zh for c in spec.characteristics] == [
        "功能性", "安全性", "时间性", "舒适性", "经济性", "文明性", "服务规范",
    ]  # fmt: skip
    assert spec.item("1.2").weight == 7
    assert [i.dimension.zh for i in spec.characteristics[0].items] == ["人员", "设备设施", "环境"]
    assert spec.item("7").dimension.zh == "制定服务规范"


def test_every_statement_names_its_own_service(spec: Spec) -> None:
    own = SERVICE_NAMES[spec.id]
    assert spec.service.zh == own
    assert spec.item("1.1").statement.zh == f"{own}人员必须具备准确、完整地履行其岗位核心职责的能力。"
    assert spec.item("7").statement.zh.count(own) == 4
    others = [name for sid, name in SERVICE_NAMES.items() if sid != spec.id]
    assert not [i.code for i in spec.items if any(name in i.statement.zh for name in others)]


def test_management_has_21_requirements_worth_145(spec: Spec) -> None:
    assert len(spec.requirements) == 21
    assert spec.management_max == 145
    assert sum(r.weight for r in spec.requirements) == 145
    assert [g.name.zh for g in spec.management] == [
        "组织所处环境", "领导作用", "策划", "支持", "运行", "绩效评价", "改进",
    ]  # fmt: skip
    assert [r.weight for r in spec.group_of("4.1").requirements] == [10, 10, 10, 5, 5]
    assert [lv.min_total for lv in spec.management_levels] == [20, 45, 70, 95, 105]
    assert [lv.label.en for lv in spec.management_levels] == [f"Level {n}" for n in range(1, 6)]


def test_level_descriptions_are_the_full_appendix_2_texts(spec: Spec) -> None:
    first, second, third = spec.management[0], spec.management[1], spec.management[2]
    assert first.level_descriptions[0].zh.startswith("服务认证管理处于萌芽状态")
    assert second.level_descriptions[4].zh.startswith("组织不仅完全遵循服务标准和认证要求")
    assert (
        third.level_descriptions[1].zh == "但管理过程可能仍存在一定的随意性和不规范性，需要进一步完善和优化。"
    )
    texts = [t.zh for group in spec.management for t in group.level_descriptions]
    assert not [t for t in texts if t[0] in "①②③④⑤" or len(t) < 20]


def test_level_descriptions_are_the_same_in_every_spec(catalog: SpecCatalog) -> None:
    def descriptions(spec_id: str) -> list[list[Text]]:
        return [group.level_descriptions for group in catalog.get(spec_id).management]

    assert all(descriptions(sid) == descriptions("TBSC120") for sid in SPEC_IDS)


def test_a_customer_question_is_short_and_plain(spec: Spec) -> None:
    for item in spec.items:
        assert len(item.question.zh) < 60 and item.question.zh.endswith("？"), item.code
        assert item.question.en.endswith("?"), item.code
    assert len({item.question.zh for item in spec.items}) == 19
    assert (
        spec.item("1.1").question.en.startswith("Compared with what you expected, how accurately and completely")
    )


@pytest.mark.parametrize(
    ("spec_id", "grades", "grades_en"),
    [
        ("TBSC120", STAR_GRADES, ["5-star", "4-star", "3-star"]),
        ("TBSC97", STAR_GRADES, ["5-star", "4-star", "3-star"]),
        ("TBSC55", STAR_GRADES, ["5-star", "4-star", "3-star"]),
        ("TBSC134", AAA_GRADES, ["AAAAA", "AAAA", "AAA"]),
        ("TBSC94", AAA_GRADES, ["AAAAA", "AAAA", "AAA"]),
    ],
)
def test_certification_table(
    catalog: SpecCatalog, spec_id: str, grades: list[str], grades_en: list[str]
) -> None:
    rows = catalog.get(spec_id).certification
    assert [row.grade.zh if row.grade else None for row in rows] == [*grades, None]
    assert [row.grade.en for row in rows[:3]] == grades_en
    assert [(row.min_service, row.min_management_level) for row in rows] == [
        (95, 4),
        (90, 4),
        (80, 3),
        (60, 2),
    ]


@pytest.mark.parametrize(
    ("spec_id", "document", "version", "issued", "first_issued", "revision"),
    [
        ("TBSC120", "CTS TBSC120-2026", "B/0", dt.date(2026, 2, 28), None, None),
        ("TBSC97", "CTS TBSC97-2026", "B/0", dt.date(2026, 1, 8), None, None),
        ("TBSC55", "CTS TBSC55-2026", "B/0", dt.date(2026, 1, 8), None, None),
        ("TBSC134", "CTS TBSC134-2026", "B/1", dt.date(2026, 4, 20), dt.date(2022, 12, 20), 5),
        ("TBSC94", "CTS TBSC94-2026", "B/0", dt.date(2026, 1, 8), None, None),
    ],
)
def test_document_identity(
    catalog: SpecCatalog,
    spec_id: str,
    document: str,
    version: str,
    issued: dt.date,
    first_issued: dt.date | None,
    revision: int | None,
) -> None:
    spec = catalog.get(spec_id)
    assert (spec.document, spec.version, spec.issued, spec.effective) == (document, version, issued, issued)
    assert (spec.first_issued, spec.revision) == (first_issued, revision)


@pytest.mark.parametrize(
    ("spec_id", "own_references"),
    [
        ("TBSC120", ["SB/T 10595-2011", "T/CASMES 176—2023"]),
        ("TBSC97", ["GB/T 19012-2019/ISO 10002:2018"]),
        ("TBSC55", ["GB/T 19580-2012"]),
        ("TBSC134", ["GB/T 33718-2017", "GB/T 31863-2015"]),
        ("TBSC94", ["GB/T 31863-2015"]),
    ],
)
def test_references(catalog: SpecCatalog, spec_id: str, own_references: list[str]) -> None:
    references = catalog.get(spec_id).references
    common = ["GB/T 19001-2016/ISO 9001:2015", "GB/T 24620-2022/ISO/IEC Guide 76:2020"]
    assert [r.code for r in references] == own_references + common
    assert references[-1].title == "服务标准制定导则 考虑消费者需求"


def test_scale_runs_from_far_below_to_far_above_expectations(spec: Spec) -> None:
    assert [p.label.zh for p in spec.scale] == [
        "远低于预期",
        "低于预期",
        "符合预期",
        "高于预期",
        "远高于预期",
    ]
    assert [p.label.en for p in spec.scale] == [
        "Far below expectations", "Below expectations", "Meets expectations",
        "Above expectations", "Far above expectations",
    ]  # fmt: skip
    assert spec.alphas == [0.2, 0.4, 0.6, 0.8, 1.0]


@pytest.mark.parametrize("spec_id", SPEC_IDS)
def test_bundled_file_has_no_translation_left_to_do(spec_id: str) -> None:
    assert "TODO" not in (BUNDLED_DIR / f"{spec_id.lower()}.yaml").read_text(encoding="utf-8")


def test_every_english_text_is_english(spec: Spec) -> None:
    untranslated = [text.zh for text in _texts(spec) if CJK.search(text.en)]
    assert untranslated == []
    assert spec.item("1.1").statement.in_language("en").startswith(spec.service.en)


def _texts(model: BaseModel) -> Iterator[Text]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, Text):
                yield element
            elif isinstance(element, BaseModel):
                yield from _texts(element)


@pytest.mark.parametrize("asked", ["tbsc120", " Tbsc97 ", "TBSC134"])
def test_catalog_finds_an_id_in_any_case(catalog: SpecCatalog, asked: str) -> None:
    assert catalog.get(asked).id == asked.strip().upper()


def test_catalog_answers_none_for_an_unknown_id(catalog: SpecCatalog) -> None:
    assert catalog.get("TBSC1") is None


# Broken files: each is refused, and the message says which file and which field.


def _weights_99(data: SpecData) -> None:
    data["characteristics"][0]["items"][0]["weight"] = 4
    data["characteristics"][0]["max"] = 16


BROKEN: list[tuple[str, Callable[[SpecData], object], str, str]] = [
    ("weights not 100", _weights_99, "characteristics", "item weights sum to 99, not 100"),
    (
        "characteristic max wrong",
        set_field("characteristics.1.max", 16),
        "characteristics.1.max",
        "is 16 but the weights of its items sum to 15",
    ),
    (
        "duplicate item code",
        set_field("characteristics.0.items.2.code", "1.2"),
        "characteristics.0.items.2.code",
        "duplicate item code '1.2'",
    ),
    (
        "missing statement",
        delete_field("characteristics.0.items.1.statement.zh"),
        "characteristics.0.items.1.statement.zh",
        "Field required",
    ),
    (
        "empty English text",
        set_field("characteristics.3.items.0.question.en", "  "),
        "characteristics.3.items.0.question.en",
        "at least 1 character",
    ),
    (
        "malformed item code",
        set_field("characteristics.0.items.0.code", "1-1"),
        "characteristics.0.items.0.code",
        "should match pattern",
    ),
    (
        "item in the wrong characteristic",
        set_field("characteristics.1.items.0.code", "3.9"),
        "characteristics.1.items.0.code",
        "does not belong to characteristic '2'",
    ),
    (
        "requirement in the wrong group",
        set_field("management.0.requirements.3.code", "2.4"),
        "management.0.requirements.3.code",
        "does not belong to group '1'",
    ),
    (
        "duplicate requirement code",
        set_field("management.1.requirements.2.code", "2.1"),
        "management.1.requirements.2.code",
        "duplicate requirement code '2.1'",
    ),
    (
        "four level descriptions",
        lambda data: data["management"][2]["level_descriptions"].pop(),
        "management.2.level_descriptions",
        "at least 5 items",
    ),
    ("scale label missing", delete_field("scale.2.label"), "scale.2.label", "Field required"),
    (
        "management max wrong",
        set_field("management_max", 150),
        "management_max",
        "requirement weights sum to 145",
    ),
    (
        "an ungraded row above a graded one",
        set_field("certification.1.grade", None),
        "certification.1.grade",
        "only the lowest row may have no grade",
    ),
    (
        "unknown field",
        set_field("characteristics.0.colour", "red"),
        "characteristics.0.colour",
        "Extra inputs",
    ),
]


@pytest.mark.parametrize(("damage", "field", "problem"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_spec_is_refused_naming_file_and_field(
    tmp_path: Path, damage: Callable[[SpecData], object], field: str, problem: str
) -> None:
    path = damaged_spec(tmp_path, "tbsc_x.yaml", damage)
    with pytest.raises(SpecError) as refusal:
        load_spec_file(path)
    message = str(refusal.value)
    assert message.startswith(f"{path}: ")
    assert f" {field}: " in message
    assert problem in message


def test_undamaged_copy_loads(tmp_path: Path) -> None:
    """The broken-file tests start from a copy that is valid before the damage."""
    assert load_spec_file(damaged_spec(tmp_path, "tbsc_x.yaml", lambda data: None)).id == "TBSC120"


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = write_spec(tmp_path, "list.yaml", [bundled_spec_data()])
    with pytest.raises(SpecError, match=rf"^{re.escape(str(path))}: not a spec \(expected a mapping"):
        load_spec_file(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SpecError, match="not a spec"):
        load_spec_file(path)


def test_invalid_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: TBSC1\ndocument: [CTS\nversion: B/0\n", encoding="utf-8")
    with pytest.raises(SpecError) as refusal:
        load_spec_file(path)
    assert re.match(rf"^{re.escape(str(path))}: line \d+, column \d+: invalid YAML", str(refusal.value))


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("id: TBSC1\nversion: B/0\nid: TBSC2\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"line 3, column 1: invalid YAML: duplicate key 'id'"):
        load_spec_file(path)


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    source = (BUNDLED_DIR / "tbsc120.yaml").read_text(encoding="utf-8")
    version_line = source.splitlines().index("version: B/0") + 1
    before, after = source.split("version: B/0", 1)
    path = tmp_path / "gbk.yaml"
    path.write_bytes(before.encode() + "version: B/0 版本".encode("gbk") + after.encode())
    with pytest.raises(SpecError) as refusal:
        load_spec_file(path)
    assert str(refusal.value).startswith(f"{path}: line {version_line}: not UTF-8 text (byte 0x")


# An operator's extra directory.


def _renamed(spec_id: str, service_en: str) -> Callable[[SpecData], None]:
    def damage(data: SpecData) -> None:
        data["id"] = spec_id
        data["service"]["en"] = service_en

    return damage


def test_extra_dir_adds_a_valid_spec_and_reports_a_broken_one(tmp_path: Path) -> None:
    damaged_spec(tmp_path, "tbsc999.yaml", _renamed("TBSC999", "Trial Service"))
    broken = damaged_spec(tmp_path, "broken.yml", set_field("characteristics.1.max", 16))
    (tmp_path / "notes.txt").write_text("not a spec", encoding="utf-8")

    catalog = load_catalog(tmp_path)

    assert catalog.get("tbsc999").service.en == "Trial Service"
    assert {s.id for s in catalog} == {*SPEC_IDS, "TBSC999"}
    assert len(catalog.refused) == 1
    assert catalog.refused[0].startswith(f"{broken}: characteristics.1.max: ")


def test_extra_spec_with_a_bundled_id_replaces_the_bundled_one(tmp_path: Path) -> None:
    damaged_spec(tmp_path, "tbsc97-rev.yaml", _renamed("TBSC97", "Complaint Service, revised"))
    catalog = load_catalog(tmp_path)
    assert catalog.get("TBSC97").service.en == "Complaint Service, revised"
    assert catalog.refused == []


def test_a_second_extra_file_with_the_same_id_is_refused(tmp_path: Path) -> None:
    damaged_spec(tmp_path, "a.yaml", _renamed("TBSC999", "First"))
    second = damaged_spec(tmp_path, "b.yaml", _renamed("TBSC999", "Second"))
    catalog = load_catalog(tmp_path)
    assert catalog.get("TBSC999").service.en == "First"
    assert catalog.refused == [f"{second}: id: TBSC999 is already defined by {tmp_path / 'a.yaml'}"]


def test_a_missing_extra_dir_is_reported_and_the_bundled_specs_still_load(tmp_path: Path) -> None:
    catalog = load_catalog(tmp_path / "absent")
    assert {s.id for s in catalog} == set(SPEC_IDS)
    assert catalog.refused == [f"{tmp_path / 'absent'}: not a directory"]
