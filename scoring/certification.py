"""The certification result (§5.3): the highest row whose service and management conditions both hold."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.service import graded_row_reached
from specs.model import CertificationRow, Spec, Text


@dataclass(frozen=True)
class Certification:
    """The outcome for one displayed service score and one management level.

    `row` is the §5.3 row reached (None: not certified). `service_row` is the highest graded row the
    service score alone reaches; `capped_by_management` says management kept the result below it.
    """

    service_score: Decimal
    management_level: int | None
    row: CertificationRow | None
    service_row: CertificationRow | None

    @property
    def certified(self) -> bool:
        return self.row is not None

    @property
    def grade(self) -> Text | None:
        return self.row.grade if self.row is not None else None

    @property
    def service_grade(self) -> Text | None:
        return self.service_row.grade if self.service_row is not None else None

    @property
    def capped_by_management(self) -> bool:
        return self.service_row is not None and self.service_row is not self.row


def certify(spec: Spec, service_displayed: Decimal, management_level: int | None) -> Certification:
    """Apply §5.3 to the displayed service score and the management level (None: below level 1)."""
    level = management_level or 0
    row = next(
        (row for row in spec.certification
         if service_displayed >= Decimal(repr(row.min_service)) and level >= row.min_management_level),
        None,
    )
    service_row = graded_row_reached(spec, service_displayed)
    return Certification(service_displayed, management_level, row, service_row)
