"""Load spec files: the bundled ones in `specs/data/` and an operator's extra directory."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from specs.model import Spec

BUNDLED_DIR = Path(__file__).parent / "data"
log = logging.getLogger(__name__)


class SpecError(ValueError):
    """A spec file that cannot be used; the message names the file and the field."""


def load_spec_file(path: Path) -> Spec:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: not a spec (expected a mapping at the top)")
    try:
        return Spec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'spec'}: {err['msg']}" for err in exc.errors()
        )
        raise SpecError(f"{path}: {problems}") from exc


@dataclass(frozen=True)
class SpecCatalog:
    """The specs in use, by upper-case id, and the files that were refused."""

    specs: dict[str, Spec]
    refused: list[str] = field(default_factory=list)

    def get(self, spec_id: str) -> Spec | None:
        return self.specs.get(spec_id.strip().upper())

    def __iter__(self):
        return iter(self.specs.values())


def load_catalog(extra_dir: Path | None = None) -> SpecCatalog:
    """Bundled specs plus those in `extra_dir`; a broken extra file is logged and skipped."""
    specs = {spec.id: spec for spec in _bundled()}
    refused: list[str] = []
    if extra_dir is not None:
        for path in sorted(extra_dir.glob("*.y*ml")):
            try:
                spec = load_spec_file(path)
            except SpecError as exc:
                log.error("spec file skipped: %s", exc)
                refused.append(str(exc))
                continue
            specs[spec.id] = spec
    return SpecCatalog(dict(sorted(specs.items())), refused)


@cache
def _bundled() -> tuple[Spec, ...]:
    return tuple(load_spec_file(path) for path in sorted(BUNDLED_DIR.glob("*.yaml")))
