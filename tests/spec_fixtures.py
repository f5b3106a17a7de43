"""Copies of a bundled spec file, intact or damaged, written where a test wants them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from specs.loader import BUNDLED_DIR

SpecData = dict[str, Any]


def bundled_spec_data(spec_id: str = "TBSC120") -> SpecData:
    """The raw mapping of a bundled spec file, free to change."""
    return yaml.safe_load((BUNDLED_DIR / f"{spec_id.lower()}.yaml").read_text(encoding="utf-8"))


def write_spec(directory: Path, name: str, data: object) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def damaged_spec(
    directory: Path, name: str, damage: Callable[[SpecData], object], spec_id: str = "TBSC120"
) -> Path:
    """A copy of a bundled spec after `damage` changed its mapping in place."""
    data = bundled_spec_data(spec_id)
    damage(data)
    return write_spec(directory, name, data)


def set_field(dotted: str, value: object) -> Callable[[SpecData], None]:
    """A damage that sets the field at a dotted path such as 'characteristics.0.max'."""

    def damage(data: SpecData) -> None:
        *parents, last = dotted.split(".")
        _container(data, parents)[_key(last)] = value

    return damage


def delete_field(dotted: str) -> Callable[[SpecData], None]:
    def damage(data: SpecData) -> None:
        *parents, last = dotted.split(".")
        del _container(data, parents)[_key(last)]

    return damage


def _container(data: SpecData, parts: list[str]) -> Any:
    node: Any = data
    for part in parts:
        node = node[_key(part)]
    return node


def _key(part: str) -> str | int:
    return int(part) if part.isdigit() else part
