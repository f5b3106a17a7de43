"""Raw answers as CSV, one line per respondent and item, readable back by `surveybot score --answers`.

The first three columns are always `respondent,item,rating`. UTF-8 with a byte-order mark, so that Excel
opens it with the right encoding. Every row goes through `csv_row` (safe_text.py): a text a spreadsheet
would run as a formula is written with a leading single quote. `AnswersCsv` writes one
respondent at a time to a file, so 100,000 respondents stream through without being held.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

from bot.adapters.reports.data import RawAnswerRow
from bot.adapters.reports.safe_text import csv_row
from specs.model import Spec

CSV_COLUMNS = ("respondent", "item", "rating", "channel", "submitted_at")
NOT_APPLICABLE_TEXT = "NA"  # the rating of a "not applicable" answer


class AnswersCsv:
    """The answers CSV written to a binary file, respondent after respondent (in the order given)."""

    def __init__(self, spec: Spec, file: BinaryIO) -> None:
        self._text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._item_codes = [item.code for item in spec.items]
        self._writer.writerow(csv_row(CSV_COLUMNS))

    def add(self, row: RawAnswerRow) -> None:
        """Ratings in the spec's item order (NA for "not applicable"); items the respondent left unanswered
        have no line."""
        submitted = row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else ""
        for code in self._item_codes:
            if code in row.ratings:
                shown = _shown(row.ratings[code])
                self._writer.writerow(csv_row((row.respondent, code, shown, row.channel, submitted)))

    def finish(self) -> None:
        """Flush what is buffered to the file, which stays open."""
        self._text.flush()
        self._text.detach()


def write_answers_csv(spec: Spec, rows: Iterable[RawAnswerRow]) -> bytes:
    """The CSV of `rows` (in respondent order) as bytes."""
    buffer = io.BytesIO()
    answers = AnswersCsv(spec, buffer)
    for row in rows:
        answers.add(row)
    answers.finish()
    return buffer.getvalue()


def _shown(rating: int | None) -> int | str:
    return NOT_APPLICABLE_TEXT if rating is None else rating  # what `surveybot score` reads


def zipped(content: bytes, name: str) -> bytes:
    """A zip file holding `content` as `name` (deflated: an answers CSV shrinks to about a tenth)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()
