"""The service certification spec as data: Appendix 1 items, §5.1 scale, Appendices 2-3, §5.3 table.

Every text a person reads has a Chinese and an English form (`Text`). The Chinese form is the
spec's own wording; an English form that nobody translated yet is marked by `TODO_TRANSLATE`
and the bot shows the Chinese text in its place.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TODO_TRANSLATE = "TODO: translate"
CHAPTER_CODE = r"^[1-9][0-9]*$"
ITEM_CODE = r"^[1-9][0-9]*(\.[1-9][0-9]*)?$"
REQUIREMENT_CODE = r"^[1-9][0-9]*\.[1-9][0-9]*$"


class FieldProblem(ValueError):
    """A rule that ties several fields together is broken; `field` is the path to the culprit.

    The path is relative to the model whose validator raised it; the loader joins it to the
    location pydantic reports, so that a message reads "characteristics.2.max: …".
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


class Text(BaseModel):
    """A text in Chinese (the spec's wording) and English; blank texts are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_language(self, language: str) -> str:
        """The text in `language` ('zh…' or 'en…'); Chinese where no English translation exists."""
        if language.startswith("en") and self.en != TODO_TRANSLATE:
            return self.en
        return self.zh


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reference(Frozen):
    code: str = Field(min_length=1)
    title: str = Field(min_length=1)


class ScalePoint(Frozen):
    """One point of the §5.1.1 Likert scale with its α band (low, high]."""

    rating: int = Field(ge=1, le=5)
    label: Text
    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    alpha: float = Field(ge=0, le=1, description="the α this project uses for the rating")


class Item(Frozen):
    """One row of Appendix 1; its code is "<characteristic>.<n>", or the characteristic's own code
    when the characteristic has a single item (item 7)."""

    code: str = Field(pattern=ITEM_CODE)
    dimension: Text
    weight: int = Field(gt=0)
    statement: Text
    question: Text


class Characteristic(Frozen):
    code: str = Field(pattern=CHAPTER_CODE)
    name: Text
    max: int = Field(gt=0)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _items_fit(self) -> Characteristic:
        for index, item in enumerate(self.items):
            if item.code != self.code and not item.code.startswith(f"{self.code}."):
                raise FieldProblem(
                    f"items.{index}.code",
                    f"item {item.code!r} does not belong to characteristic {self.code!r}",
                )
        weights = sum(item.weight for item in self.items)
        if weights != self.max:
            raise FieldProblem("max", f"is {self.max} but the weights of its items sum to {weights}")
        return self


class Requirement(Frozen):
    """One row of Appendix 3: a management requirement and its weight (the level-5 score)."""

    code: str = Field(pattern=REQUIREMENT_CODE)
    name: Text
    weight: int = Field(gt=0)


class RequirementGroup(Frozen):
    """A chapter of the management requirements, with the Appendix 2 description of each level."""

    code: str = Field(pattern=CHAPTER_CODE)
    name: Text
    requirements: list[Requirement] = Field(min_length=1)
    level_descriptions: list[Text] = Field(min_length=5, max_length=5, description="levels 1..5 in order")

    @model_validator(mode="after")
    def _requirements_fit(self) -> RequirementGroup:
        for index, requirement in enumerate(self.requirements):
            if not requirement.code.startswith(f"{self.code}."):
                raise FieldProblem(
                    f"requirements.{index}.code",
                    f"requirement {requirement.code!r} does not belong to group {self.code!r}",
                )
        return self


class ManagementLevel(Frozen):
    """A management level (一级 … 五级) and the lowest management total that reaches it."""

    level: int = Field(ge=1, le=5)
    label: Text
    min_total: float = Field(ge=0)


class CertificationRow(Frozen):
    """A row of the §5.3 table; `grade` None means certified without a grade."""

    grade: Text | None
    min_service: float = Field(ge=0, le=100)
    min_management_level: int = Field(ge=1, le=5)


class Spec(Frozen):
    id: str = Field(pattern=r"^[A-Z0-9]+$")
    document: str = Field(min_length=1)
    version: str = Field(min_length=1)
    issued: dt.date
    effective: dt.date
    first_issued: dt.date | None = None
    revision: int | None = None
    service: Text
    references: list[Reference]
    scale: list[ScalePoint] = Field(min_length=5, max_length=5)
    characteristics: list[Characteristic] = Field(min_length=1)
    management: list[RequirementGroup] = Field(min_length=1)
    management_levels: list[ManagementLevel] = Field(min_length=5, max_length=5)
    management_max: float = Field(gt=0)
    certification: list[CertificationRow] = Field(min_length=1)

    @field_validator("scale")
    @classmethod
    def _scale_in_order(cls, scale: list[ScalePoint]) -> list[ScalePoint]:
        for index, point in enumerate(scale):
            if point.rating != index + 1:
                raise FieldProblem(f"{index}.rating", "scale ratings must be 1, 2, 3, 4, 5 in order")
            if not point.low <= point.alpha <= point.high:
                raise FieldProblem(
                    f"{index}.alpha", f"{point.alpha} is outside the band of rating {point.rating}"
                )
            if index and point.alpha <= scale[index - 1].alpha:
                raise FieldProblem(f"{index}.alpha", "alpha must rise with the rating")
        return scale

    @model_validator(mode="after")
    def _dates_in_order(self) -> Spec:
        if self.effective < self.issued:
            raise FieldProblem("effective", f"{self.effective} is before the issue date {self.issued}")
        if self.first_issued is not None and self.first_issued > self.issued:
            raise FieldProblem("first_issued", f"{self.first_issued} is after the issue date {self.issued}")
        return self

    @model_validator(mode="after")
    def _items_add_up(self) -> Spec:
        _no_duplicates(
            "characteristic code",
            {f"characteristics.{i}.code": c.code for i, c in enumerate(self.characteristics)},
        )
        _no_duplicates(
            "item code",
            {
                f"characteristics.{ci}.items.{ii}.code": item.code
                for ci, characteristic in enumerate(self.characteristics)
                for ii, item in enumerate(characteristic.items)
            },
        )
        total = sum(item.weight for item in self.items)
        if total != 100:
            raise FieldProblem("characteristics", f"item weights sum to {total}, not 100")
        return self

    @model_validator(mode="after")
    def _management_adds_up(self) -> Spec:
        _no_duplicates("group code", {f"management.{i}.code": g.code for i, g in enumerate(self.management)})
        _no_duplicates(
            "requirement code",
            {
                f"management.{gi}.requirements.{ri}.code": requirement.code
                for gi, group in enumerate(self.management)
                for ri, requirement in enumerate(group.requirements)
            },
        )
        management_max = sum(r.weight for r in self.requirements)
        if management_max != self.management_max:
            raise FieldProblem(
                "management_max",
                f"is {self.management_max} but the requirement weights sum to {management_max}",
            )
        for index, level in enumerate(self.management_levels):
            if level.level != index + 1:
                raise FieldProblem(f"management_levels.{index}.level", "levels must be 1 to 5 in order")
            if index and level.min_total <= self.management_levels[index - 1].min_total:
                raise FieldProblem(f"management_levels.{index}.min_total", "level minima must rise strictly")
        if self.management_levels[-1].min_total > self.management_max:
            raise FieldProblem(
                "management_levels.4.min_total", f"is above management_max {self.management_max}"
            )
        return self

    @model_validator(mode="after")
    def _certification_in_order(self) -> Spec:
        rows = self.certification
        for index, row in enumerate(rows):
            if index and row.min_service >= rows[index - 1].min_service:
                raise FieldProblem(
                    f"certification.{index}.min_service", "rows must go from the highest service score down"
                )
            if row.grade is None and index != len(rows) - 1:
                raise FieldProblem(f"certification.{index}.grade", "only the lowest row may have no grade")
        _no_duplicates(
            "grade",
            {
                f"certification.{i}.grade.zh": row.grade.zh
                for i, row in enumerate(rows)
                if row.grade is not None
            },
        )
        return self

    @property
    def items(self) -> list[Item]:
        return [item for c in self.characteristics for item in c.items]

    @property
    def requirements(self) -> list[Requirement]:
        return [r for group in self.management for r in group.requirements]

    @property
    def alphas(self) -> list[float]:
        """α for ratings 1..5, in order."""
        return [point.alpha for point in self.scale]

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    def characteristic_of(self, item_code: str) -> Characteristic:
        return next(c for c in self.characteristics if any(i.code == item_code for i in c.items))

    def group_of(self, requirement_code: str) -> RequirementGroup:
        return next(g for g in self.management if any(r.code == requirement_code for r in g.requirements))


def _no_duplicates(what: str, codes_by_field: dict[str, str]) -> None:
    """Refuse the second occurrence of a code; `codes_by_field` maps each field path to its code."""
    seen: set[str] = set()
    for field, code in codes_by_field.items():
        if code in seen:
            raise FieldProblem(field, f"duplicate {what} {code!r}")
        seen.add(code)
