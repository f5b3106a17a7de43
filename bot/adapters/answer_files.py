"""Paper questionnaires as CSV files: answers (`respondent,item,rating`) and maturity (`requirement,level`).

A rating is a whole number 1-5, or NA (also N/A, any case) for "not applicable / did not experience
it" (不适用 / 没有经历), read as None. Files saved by Excel work: UTF-8 with or without a BOM, CRLF line
ends, blank trailing rows, extra columns. Every problem raises `AnswerFileError` with one line naming
the file and the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scoring.confidence import pair_histograms_of
from scoring.service import NOT_APPLICABLE, Rating, histograms_of, rated_count
from specs.model import Spec

Gettext = Callable[[str], str]
ANSWER_COLUMNS = ("respondent", "item", "rating")
MATURITY_COLUMNS = ("requirement", "level")
SCALE = range(1, 6)
NOT_APPLICABLE_TEXTS = ("NA", "N/A")
"""How an answers file writes "not applicable" (any case); the export writes NA."""


class AnswerFileError(ValueError):
    """A file that cannot be used; the message is one translated line naming the file and the row."""


@dataclass(frozen=True)
class AnswerSheet:
    """The ratings read from an answers file, by respondent in file order (respondent → item → rating,
    None for "not applicable")."""

    ratings: dict[str, dict[str, Rating]]
    item_codes: tuple[str, ...]

    def missing_items(self, respondent: str) -> list[str]:
        answered = self.ratings[respondent]
        return [code for code in self.item_codes if code not in answered]

    @property
    def complete(self) -> dict[str, dict[str, Rating]]:
        """Respondents who answered every item (a rating or NA): only they count in scores."""
        return {who: ratings for who, ratings in self.ratings.items() if not self.missing_items(who)}

    @property
    def incomplete(self) -> list[str]:
        return [who for who in self.ratings if self.missing_items(who)]

    @property
    def all_not_applicable(self) -> list[str]:
        """Complete respondents who answered every item NA: they rate nothing and are not scored."""
        return [who for who, ratings in self.complete.items() if rated_count(ratings) == 0]

    @property
    def scored(self) -> int:
        """How many complete respondents rated at least one item."""
        return len(self.complete) - len(self.all_not_applicable)

    def histograms(self) -> dict[str, dict[Rating, int]]:
        """item → rating → count over the complete respondents, as the database's GROUP BY returns it
        (the key None counts NA)."""
        return histograms_of(self.complete.values(), self.item_codes)

    def pair_histograms(self) -> dict[tuple[str, str], dict[tuple[int, int], int]]:
        """For each two items, how the complete respondents who rated both rated them (as the database
        tallies them)."""
        return pair_histograms_of(self.complete.values(), self.item_codes)


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]


class _CsvFile:
    """One CSV file being read: its non-blank rows and errors that name it (translated with `_`)."""

    def __init__(self, path: Path, _: Gettext) -> None:
        self.path = path
        self._ = _

    def error(self, problem: str, line: int | None = None) -> AnswerFileError:
        _ = self._
        if line is None:
            return AnswerFileError(_("{file}: {problem}").format(file=self.path, problem=problem))
        return AnswerFileError(_("{file}, line {line}: {problem}").format(
            file=self.path, line=line, problem=problem))

    def rows(self, columns: tuple[str, ...]) -> Iterator[_Row]:
        """The non-blank rows as {column: stripped value}, with their line numbers."""
        _ = self._
        reader = csv.reader(io.StringIO(self._text(), newline=""))
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in columns if name not in header]
        if missing:
            raise self.error(_("missing column(s) {missing}; the first line must name the columns {expected}")
                             .format(missing=", ".join(missing), expected=",".join(columns)))
        positions = {name: header.index(name) for name in columns}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) <= max(positions.values()):
                raise self.error(_("expected {count} values, found {found}").format(
                    count=len(header), found=len(cells)), reader.line_num)
            values = {name: cells[position].strip() for name, position in positions.items()}
            yield _Row(reader.line_num, values)

    def scale_value(self, row: _Row, column: str, problem: str, not_applicable: bool = False) -> Rating:
        """The whole number 1-5 in `column` (or, with `not_applicable`, NA: None); else `problem` (with
        {value}) for this row."""
        value = row.values[column]
        if not_applicable and value.upper() in NOT_APPLICABLE_TEXTS:
            return NOT_APPLICABLE
        if not (value.isascii() and value.isdigit()) or int(value) not in SCALE:
            raise self.error(problem.format(value=value), row.line)
        return int(value)

    def _text(self) -> str:
        _ = self._
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise self.error(_("file not found")) from None
        except OSError as exc:
            raise self.error(_("cannot read the file: {reason}").format(reason=exc.strerror)) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise self.error(_("not UTF-8 text; save it as \"CSV UTF-8\"")) from None
        if not text.strip():
            raise self.error(_("the file is empty"))
        return text


def read_answers(path: Path, spec: Spec, _: Gettext) -> AnswerSheet:
    """The answers file for `spec`; raises AnswerFileError on the first problem."""
    file = _CsvFile(path, _)
    item_codes = tuple(item.code for item in spec.items)
    ratings: dict[str, dict[str, Rating]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for row in file.rows(ANSWER_COLUMNS):
        respondent, code = row.values["respondent"], row.values["item"]
        if not respondent:
            raise file.error(_("the respondent is empty"), row.line)
        if code not in item_codes:
            raise file.error(_("unknown item \"{code}\" (items of {spec}: {codes})").format(
                code=code, spec=spec.id, codes=", ".join(item_codes)), row.line)
        rating = file.scale_value(row, "rating", _("rating \"{value}\" is not a whole number from 1 to 5"),
                                  not_applicable=True)
        if (respondent, code) in first_seen:
            raise file.error(
                _("respondent {respondent} rated item {code} twice (first on line {first})").format(
                    respondent=respondent, code=code, first=first_seen[respondent, code]), row.line)
        first_seen[respondent, code] = row.line
        ratings.setdefault(respondent, {})[code] = rating
    if not ratings:
        raise file.error(_("no rows under the header"))
    return AnswerSheet(ratings, item_codes)


def read_maturity(path: Path, spec: Spec, _: Gettext) -> dict[str, int]:
    """requirement code → maturity level 1-5 from a maturity file for `spec`."""
    file = _CsvFile(path, _)
    codes = [r.code for r in spec.requirements]
    levels: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for row in file.rows(MATURITY_COLUMNS):
        code = row.values["requirement"]
        if code not in codes:
            raise file.error(_("unknown requirement \"{code}\" (requirements of {spec}: {codes})").format(
                code=code, spec=spec.id, codes=", ".join(codes)), row.line)
        level = file.scale_value(row, "level", _("level \"{value}\" is not a whole number from 1 to 5"))
        if code in levels:
            raise file.error(_("requirement {code} is rated twice (first on line {first})").format(
                code=code, first=first_seen[code]), row.line)
        first_seen[code] = row.line
        levels[code] = level
    if not levels:
        raise file.error(_("no rows under the header"))
    return levels
