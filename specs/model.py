"""The service certification spec as data: Appendix 1 items, §5.1 scale, Appendices 2-3, §5.3 table.

Every text a person reads has a Chinese and an English form (`Text`). The Chinese form is the
spec's own wording; an English form that nobody translated yet is marked by `TODO_TRANSLATE`
and the bot shows the Chinese text in its place.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TODO_TRANSLATE = "TODO: translate"


class Text(BaseModel):
    """A text in Chinese (the spec's wording) and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_language(self, language: str) -> str:
        """The text in `language` ('zh…' or 'en…'); Chinese where no English translation exists."""
        if language.startswith("en") and self.en != TODO_TRANSLATE:
            return self.en
        return self.zh


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """One row of Appendix 1."""

    code: str = Field(min_length=1)
    dimension: Text
    weight: int = Field(gt=0)
    statement: Text
    question: Text


class Characteristic(Frozen):
    code: str = Field(min_length=1)
    name: Text
    max: int = Field(gt=0)
    items: list[Item] = Field(min_length=1)


class Requirement(Frozen):
    """One row of Appendix 3: a management requirement and its weight (the level-5 score)."""

    code: str = Field(min_length=1)
    name: Text
    weight: int = Field(gt=0)


class RequirementGroup(Frozen):
    """A chapter of the management requirements, with the Appendix 2 description of each level."""

    code: str = Field(min_length=1)
    name: Text
    requirements: list[Requirement] = Field(min_length=1)
    level_descriptions: list[Text] = Field(min_length=5, max_length=5)


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
        if [p.rating for p in scale] != [1, 2, 3, 4, 5]:
            raise ValueError("scale ratings must be 1, 2, 3, 4, 5 in order")
        for point in scale:
            if not point.low <= point.alpha <= point.high:
                raise ValueError(f"alpha {point.alpha} of rating {point.rating} is outside its band")
        return scale

    @model_validator(mode="after")
    def _consistent(self) -> Spec:
        item_codes = [item.code for item in self.items]
        _no_duplicates("item code", item_codes)
        _no_duplicates("characteristic code", [c.code for c in self.characteristics])
        for characteristic in self.characteristics:
            weights = sum(item.weight for item in characteristic.items)
            if weights != characteristic.max:
                raise ValueError(
                    f"characteristic {characteristic.code} has max {characteristic.max} "
                    f"but its items' weights sum to {weights}"
                )
        total = sum(item.weight for item in self.items)
        if total != 100:
            raise ValueError(f"item weights sum to {total}, not 100")
        _no_duplicates("requirement code", [r.code for r in self.requirements])
        management_max = sum(r.weight for r in self.requirements)
        if management_max != self.management_max:
            raise ValueError(
                f"management_max is {self.management_max} but requirement weights sum to {management_max}"
            )
        if [lv.level for lv in self.management_levels] != [1, 2, 3, 4, 5]:
            raise ValueError("management_levels must be levels 1 to 5 in order")
        minima = [lv.min_total for lv in self.management_levels]
        if minima != sorted(set(minima)):
            raise ValueError("management level minima must rise strictly")
        services = [row.min_service for row in self.certification]
        if services != sorted(services, reverse=True) or len(set(services)) != len(services):
            raise ValueError("certification rows must go from the highest service score down")
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


def _no_duplicates(what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"duplicate {what} {code!r}")
        seen.add(code)
