"""What the importer could not read (problems: no spec is written), what it read past (warnings: a line it
could not read, which the spec does without) and what it wants said (notes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specs.importer.normalize import fold

_INTEGER = re.compile(r"^\d+$")


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def note(self, where: str, what: str) -> None:
        self.notes.append(f"{where}: {what}")

    def warn(self, where: str, what: str) -> None:
        self.warnings.append(f"{where}: {what}")


def as_int(cell: str) -> int | None:
    """A cell holding a whole number, allowing spaces inside it and a trailing 分 ("1 0", "20 分")."""
    digits = "".join(fold(cell).split()).removesuffix("分")
    return int(digits) if _INTEGER.match(digits) else None
