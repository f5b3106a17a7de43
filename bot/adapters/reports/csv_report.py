"""Raw answers as CSV, one line per respondent and item, readable back by `surveybot score --answers`.

The first three columns are always `respondent,item,rating`. UTF-8 with a byte-order mark, so that Excel
opens it with the right encoding. Every row goes through `csv_row` (safe_text.py): a text a spreadsheet would
run as a formula is written with a leading single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.adapters.reports.data import RawAnswerRow
from bot.adapters.reports.safe_text import csv_row
from specs.model import Spec

CSV_COLUMNS = ("respondent", "item", "rating", "channel", "submitted_at")
NOT_APPLICABLE_TEXT = "NA"  # the rating of a "not applicable" answer


def write_answers_csv(spec: Spec, rows: Sequence[RawAnswerRow]) -> bytes:
    """Ratings in the spec's item order (NA for "not applicable"); items a respondent left unanswered
    have no line."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(CSV_COLUMNS))
    item_codes = [item.code for item in spec.items]
    for row in sorted(rows, key=lambda r: r.respondent):
        submitted = row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else ""
        for code in item_codes:
            if code in row.ratings:
                rating = row.ratings[code]
                shown = NOT_APPLICABLE_TEXT if rating is None else rating  # what `surveybot score` reads
                writer.writerow(csv_row((row.respondent, code, shown, row.channel, submitted)))
    return buffer.getvalue().encode("utf-8-sig")
