"""Import a certification spec from its document (.txt, .md or .docx) into a spec file.

`import_spec(path)` reads the document, builds the spec and checks it with the rules of the
bundled specs. What it cannot read is listed in `ImportResult.problems` (then there is no spec);
a cover line it cannot read, which the spec does without, is in `ImportResult.warnings`; what a
person should check (texts taken from another group, texts that look cut short, dates inferred from
a revision history) is in `ImportResult.notes`. The customer questions are drafts made from the
statements (`specs.importer.questions`); the items whose question a person should review and
rewrite are in `ImportResult.questions_to_review`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from specs.importer.build import spec_dict
from specs.importer.findings import Findings
from specs.importer.parse import parse_document
from specs.importer.source import UnreadableDocument, document_lines
from specs.model import TODO_TRANSLATE, Spec

_SPEC_ID = re.compile(r"^[A-Z0-9]+$")


@dataclass(frozen=True)
class ImportResult:
    source: Path
    spec: Spec | None
    data: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    questions_to_review: list[str] = field(default_factory=list)
    """Codes of the items whose customer question was drafted from the statement (all of them)."""

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.problems

    def summary(self) -> list[str]:
        """A few lines on what was imported, for the person who runs the import."""
        if self.spec is None:
            return []
        spec = self.spec
        grades = ", ".join(
            f"{row.grade.zh if row.grade else 'certified without grade'} "
            f"(service ≥{row.min_service:g}, management ≥ level {row.min_management_level})"
            for row in spec.certification
        )
        levels = ", ".join(f"{level.label.zh} ≥{level.min_total:g}" for level in spec.management_levels)
        untranslated = _count_placeholders(self.data)
        history = "".join((
            f", first issued {spec.first_issued}" if spec.first_issued else "",
            f", revision {spec.revision}" if spec.revision is not None else "",
        ))
        lines = [
            f"{spec.id} {spec.service.zh}: {spec.document}, version {spec.version}, "
            f"issued {spec.issued}, effective {spec.effective}{history}",
            f"items: {len(spec.items)} in {len(spec.characteristics)} characteristics, "
            f"total weight {sum(item.weight for item in spec.items)}",
            f"grades: {grades}",
            f"requirements: {len(spec.requirements)} in {len(spec.management)} groups, "
            f"management total {spec.management_max:g}; levels {levels}",
            f"references: {len(spec.references)}",
            f"English: {untranslated} texts are {TODO_TRANSLATE!r} (the bot shows the Chinese)",
        ]
        return lines + [f"note: {note}" for note in self.notes]

    def yaml_text(self) -> str:
        if self.data is None:
            raise ValueError("no spec to write: " + "; ".join(self.problems))
        header = (
            f"# {self.data['document']} imported from {self.source.name} by `surveybot specs import`.\n"
            f"# Texts marked {TODO_TRANSLATE!r} still need an English translation; the customer questions\n"
            "# are drafts made from the statements, for a person to review and rewrite.\n"
        )
        if self.questions_to_review:
            header += f"# questions drafted for review: {', '.join(self.questions_to_review)}\n"
        header += "".join(f"# warning: {warning}\n" for warning in self.warnings)
        return header + yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=1000)


def import_spec(path: Path | str, spec_id: str | None = None, service_en: str | None = None) -> ImportResult:
    """Read the spec document at `path`; `spec_id` overrides the id taken from 文件编号."""
    path = Path(path)
    try:
        lines = document_lines(path)
    except UnreadableDocument as exc:
        return ImportResult(path, None, None, problems=[str(exc)])
    findings = Findings()
    parsed = parse_document(lines, findings)
    chosen_id = (spec_id or parsed.front.spec_id or "").strip().upper()
    if not chosen_id:
        findings.problem("封面", "cannot tell the spec id from 文件编号; give it with --id")
    elif not _SPEC_ID.match(chosen_id):
        findings.problem("id", f"{chosen_id!r} must be letters and digits only (e.g. TBSC120)")
    if findings.problems:
        return ImportResult(path, None, None, findings.problems, findings.notes, findings.warnings)
    data = spec_dict(parsed, chosen_id, service_en)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"spec check: {'.'.join(str(part) for part in error['loc']) or 'spec'}: {error['msg']}"
            for error in exc.errors()
        ]
        return ImportResult(path, None, None, problems, findings.notes, findings.warnings)
    drafted = [item.code for item in spec.items]  # every question is drafted from its statement
    return ImportResult(path, spec, data, [], findings.notes, findings.warnings, drafted)


def _count_placeholders(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count_placeholders(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count_placeholders(item) for item in value)
    return int(value == TODO_TRANSLATE)


__all__ = ["ImportResult", "import_spec"]
