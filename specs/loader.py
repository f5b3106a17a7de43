"""Load spec files: the bundled ones in `specs/data/` and an operator's extra directory."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from specs.model import FieldProblem, Spec
from specs.revisions import revision_of

BUNDLED_DIR = Path(__file__).parent / "data"
log = logging.getLogger(__name__)


class SpecError(ValueError):
    """A spec file that cannot be used; the message names the file and the field."""


def load_spec_file(path: Path) -> Spec:
    """Read and validate one spec file; raise `SpecError` saying where the file is wrong."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: not a spec (expected a mapping at the top, found {type(raw).__name__})")
    try:
        return Spec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors())
        raise SpecError(f"{path}: {problems}") from exc


def _read_yaml(path: Path) -> object:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(f"{path}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # _StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SpecError(f"{path}: {where}invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: invalid YAML: {exc}") from exc


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _mapping_without_duplicate_keys(loader: _StrictLoader, node: yaml.MappingNode) -> dict[object, object]:
    keys: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicate_keys)


def _describe(error: ErrorDetails) -> str:
    """'<dotted field path>: <problem>' for one pydantic error."""
    location = [str(part) for part in error["loc"]]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem):
        location += cause.field.split(".")
    problem = str(cause) if isinstance(cause, ValueError) else error["msg"]
    return f"{'.'.join(location) or 'spec'}: {problem}"


@dataclass(frozen=True)
class SpecCatalog:
    """The specs in use, by upper-case id (what new surveys are created with), the file each came from,
    the files that were refused, and every revision this process has read, by content hash: the
    current specs and the stored copies surveys are pinned to (bot/services/pinned_specs.py adds them)."""

    specs: dict[str, Spec]
    refused: list[str] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    revisions: dict[str, Spec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for spec in self.specs.values():
            self.revisions.setdefault(revision_of(spec).sha256, spec)

    def get(self, spec_id: str) -> Spec | None:
        return self.specs.get(spec_id.strip().upper())

    def revision(self, sha256: str) -> Spec | None:
        """The revision with this content hash, if this process has read it."""
        return self.revisions.get(sha256)

    def remember(self, sha256: str, spec: Spec) -> None:
        self.revisions[sha256] = spec

    def source(self, spec_id: str) -> Path | None:
        """The file the spec in use with this id was read from."""
        return self.sources.get(spec_id.strip().upper())

    def __iter__(self) -> Iterator[Spec]:
        return iter(self.specs.values())


def load_catalog(extra_dir: Path | None = None) -> SpecCatalog:
    """Bundled specs plus those in `extra_dir`.

    An extra spec with a bundled spec's id replaces it (a newer revision). A broken extra
    file, a second extra file with the same id, or a missing `extra_dir` is logged and reported in
    `refused`, never raised: one bad file must not stop the bot.
    """
    bundled = dict(_bundled())
    specs = {spec.id: spec for spec in bundled.values()}
    sources = {spec.id: path for path, spec in bundled.items()}
    refused: list[str] = []
    if extra_dir is not None:
        if not extra_dir.is_dir():
            refused.append(f"{extra_dir}: not a directory")
        extra_sources: dict[str, Path] = {}
        for path in _spec_files(extra_dir):
            try:
                spec = load_spec_file(path)
            except SpecError as exc:
                refused.append(str(exc))
                continue
            if spec.id in extra_sources:
                refused.append(f"{path}: id: {spec.id} is already defined by {extra_sources[spec.id]}")
                continue
            if spec.id in specs:
                log.warning("spec %s from %s replaces the bundled one", spec.id, path)
            extra_sources[spec.id] = sources[spec.id] = path
            specs[spec.id] = spec
    for message in refused:
        log.error("spec refused: %s", message)
    return SpecCatalog(dict(sorted(specs.items())), refused, sources)


def _spec_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.suffix in {".yaml", ".yml"} and path.is_file())


@cache
def _bundled() -> tuple[tuple[Path, Spec], ...]:
    return tuple((path, load_spec_file(path)) for path in _spec_files(BUNDLED_DIR))
