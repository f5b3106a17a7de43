"""The files an audit lead files for a survey: the Appendix 1 workbook and the raw answers as CSV.

Shared by /export, `surveybot export` and the chart of /summary (`score_sheet`). Figures come from
`build_summary`; the management sheet from the stored maturity levels, with the §5.3 certification
only once every requirement is rated.

The responses stream: the database is read in chunks (storage.export_chunks), each when the worker
thread that writes the workbook and the CSV asks for it, so no more than a chunk is held. The bot's
export of IN_A_PROCESS_FROM responses or more runs in a process of its own, which reads the database
itself: a thread of the bot would share the interpreter lock with the event loop, and customers' taps
would wait for it (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import multiprocessing
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from zoneinfo import ZoneInfo

from bot.adapters import storage
from bot.adapters.reports import (
    CertificationResult,
    CharacteristicRow,
    Comment,
    DataQuality,
    ItemRow,
    ManagementSummary,
    RawAnswerRow,
    ScoreSheet,
    SurveyReport,
    WorkbookWriter,
)
from bot.adapters.reports.csv_report import AnswersCsv
from bot.adapters.storage import Sessions, SurveyRecord
from bot.adapters.storage.export_rows import ExportRow, export_chunks
from bot.services import audit
from bot.services.survey_filing import survey_report, with_filing_header
from bot.services.survey_summary import build_summary
from conversations.result_wording import rated_certification
from conversations.summary_figures import SurveySummary
from scoring.explain import explain_certification
from scoring.management import management_level, management_total
from scoring.rounding import display
from specs import SpecCatalog

Written = TypeVar("Written")
Progress = Callable[[int], Awaitable[None]]  # told the percentage of the export done, 0 to 100
IN_A_PROCESS_FROM = 1_000  # responses; a process takes a second or two to start
PROGRESS_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class ExportFiles:
    workbook: bytes
    workbook_name: str
    answers_csv: bytes
    csv_name: str
    respondents: int


@dataclass(frozen=True)
class WrittenExport:
    """The workbook, the number of responses it holds and the name its files share (no suffix)."""

    workbook: bytes
    respondents: int
    stem: str


@dataclass(frozen=True)
class _Export:
    """What the files are written from, besides the responses."""

    survey_id: int
    sheet: ScoreSheet
    report: SurveyReport
    language: str
    zone: ZoneInfo
    expected: int  # submitted responses when the export began, for the progress


async def build_export(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                       now: dt.datetime, progress: Progress | None = None) -> ExportFiles:
    """Both files in memory (to send them); `progress` hears the share of responses written so far, then
    100. From IN_A_PROCESS_FROM responses on, a process of their own reads and writes everything."""
    if (await storage.progress_counts(sessions, survey.id)).submitted >= IN_A_PROCESS_FROM:
        workbook, answers_csv, respondents = await _in_a_process(sessions, catalog, survey, language, now, progress)
    else:
        answers = io.BytesIO()
        export = await _prepare(sessions, catalog, survey, language, now)
        workbook, respondents = await _write(sessions, export, answers, progress)
        answers_csv = answers.getvalue()
    if progress is not None:
        await progress(100)
    stem = _stem(survey, now)
    return ExportFiles(workbook=workbook, workbook_name=f"{stem}.xlsx", answers_csv=answers_csv,
                       csv_name=f"{stem}.csv", respondents=respondents)


async def write_export(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                       now: dt.datetime, answers_csv: BinaryIO | None) -> WrittenExport:
    """The workbook, and the CSV written to `answers_csv` (left open) when there is one, in this process
    (`surveybot export`: nobody else waits for its event loop)."""
    export = await _prepare(sessions, catalog, survey, language, now)
    workbook, respondents = await _write(sessions, export, answers_csv, None)
    return WrittenExport(workbook, respondents, _stem(survey, now))


async def record_export(sessions: Sessions, survey: SurveyRecord, who: int | str, formats: Sequence[str],
                        respondents: int, now: dt.datetime) -> None:
    """The export in the survey's trail: who, which files, how many responses they hold."""
    await audit.record(sessions, survey.id, who, audit.EXPORTED,
                       {"formats": list(formats), "respondents": respondents}, now)


def score_sheet(summary: SurveySummary, language: str, now: dt.datetime,
                management: ManagementSummary | None = None) -> ScoreSheet:
    """The Appendix 1 figures of a summary (all zero before the first response)."""
    spec, scores = summary.spec, summary.scores
    zone = ZoneInfo(summary.timezone)
    unrated: tuple[str, ...] = ()
    if scores is None:
        items = tuple(ItemRow(item.code, None, 0.0) for item in spec.items)
        characteristics = tuple(CharacteristicRow(c.code, 0.0) for c in spec.characteristics)
        service, grade, ci95 = 0.0, None, None
    else:
        items = tuple(ItemRow(item.code, item.alpha, item.score, item.n, item.not_applicable)
                      for item in scores.items)
        characteristics = tuple(CharacteristicRow(c.code, c.score, c.unrated) for c in scores.characteristics)
        service = float(scores.service_score) if scores.service_score is not None else None
        unrated = scores.unrated
        grade = scores.grade.in_language(language) if scores.grade else None
        interval = scores.interval
        ci95 = (float(display(interval.low)), float(display(interval.high))) if interval else None
    return ScoreSheet(
        spec=spec, organization=summary.organization, survey_code=summary.code,
        generated_at=now.astimezone(zone), respondents=summary.submitted, items=items,
        characteristics=characteristics, service_score=service, service_grade=grade, ci95=ci95,
        management=management, unrated=unrated,
        quality=DataQuality(straight_liners=summary.straight_liners, speeders=summary.speeders,
                            all_not_applicable=summary.all_not_applicable),
    )


def management_summary(summary: SurveySummary, levels: dict[str, int],
                       language: str) -> ManagementSummary | None:
    """Sheet 4: None while nothing is rated; the certification once all requirements are rated."""
    if not levels:
        return None
    spec = summary.spec
    total = management_total(spec, levels)
    level = management_level(spec, total)
    label = spec.management_levels[level - 1].label.in_language(language) if level else None
    service = summary.scores.service_score if summary.scores else display(0.0)
    result = rated_certification(spec, service, levels)
    certification = None if result is None else CertificationResult(
        grade=result.grade.in_language(language) if result.grade else None, certified=result.certified,
        capped=result.capped_by_management, explanation=explain_certification(spec, result, language))
    return ManagementSummary(levels={r.code: levels.get(r.code) for r in spec.requirements}, total=total,
                             level_label=label, certification=certification)


async def _prepare(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                   now: dt.datetime) -> _Export:
    summary = await build_summary(sessions, catalog, survey)
    levels = await storage.levels(sessions, survey.id)
    sheet = with_filing_header(score_sheet(summary, language, now, management_summary(summary, levels, language)),
                               survey, summary, language)
    report = await survey_report(sessions, survey, summary, levels, language)
    return _Export(survey.id, sheet, report, language, ZoneInfo(survey.timezone), summary.submitted)


def _stem(survey: SurveyRecord, now: dt.datetime) -> str:
    """The name both files share: spec, survey code, the day in the survey's time zone."""
    return f"{survey.spec_id}_{survey.code}_{now.astimezone(ZoneInfo(survey.timezone)):%Y-%m-%d}"


async def _write(sessions: Sessions, export: _Export, answers_csv: BinaryIO | None,
                 progress: Progress | None) -> tuple[bytes, int]:
    """The workbook and the CSV written by a worker thread, the chunks read on this event loop."""
    chunks = _told(export_chunks(sessions, export.survey_id), export.expected, progress)
    return await _in_worker_thread(lambda rows: _write_files(export, rows, answers_csv), chunks)


async def _in_a_process(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                        now: dt.datetime, progress: Progress | None) -> tuple[bytes, bytes, int]:
    """The figures and both files made by a process of its own on the same database (this event loop only
    waits), its progress read from shared memory; the process is ended when the caller is cancelled."""
    context = multiprocessing.get_context("spawn")  # a fork would copy the bot's threads and event loop
    percent, respondents = context.Value("i", 0, lock=False), context.Value("i", 0, lock=False)
    database_url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as folder:
        process = context.Process(target=_export_in_this_process, daemon=True, args=(
            database_url, catalog, survey, language, now, Path(folder), percent, respondents))
        # off the loop: start() writes the pickled arguments into a pipe that the new process reads only
        # once its imports are done
        await asyncio.to_thread(process.start)
        ended = loop.create_future()
        loop.add_reader(process.sentinel, lambda: ended.done() or ended.set_result(None))
        try:
            while not ended.done():
                await asyncio.wait([ended], timeout=PROGRESS_POLL_SECONDS)
                if progress is not None and not ended.done():
                    await progress(percent.value)
        finally:
            loop.remove_reader(process.sentinel)
            if process.is_alive():
                process.terminate()
            process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"the export's process of survey {survey.id} ended with {process.exitcode}")
        return (Path(folder, "workbook.xlsx").read_bytes(), Path(folder, "answers.csv").read_bytes(),
                respondents.value)


def _export_in_this_process(database_url: str, catalog: SpecCatalog, survey: SurveyRecord, language: str,
                            now: dt.datetime, folder: Path, percent: Any, respondents: Any) -> None:
    """The export's process: `_prepare` and `_write` over a database connection of its own, to `folder`."""
    async def tell(done: int) -> None:
        percent.value = done

    async def export() -> None:
        database = await storage.open_database(database_url, migrate=False)
        try:
            prepared = await _prepare(database.sessions, catalog, survey, language, now)
            with (folder / "answers.csv").open("wb") as answers:
                workbook, respondents.value = await _write(database.sessions, prepared, answers, tell)
            (folder / "workbook.xlsx").write_bytes(workbook)
        finally:
            await database.close()

    asyncio.run(export())


def _write_files(export: _Export, chunks: Iterator[list[ExportRow]],
                 answers_csv: BinaryIO | None) -> tuple[bytes, int]:
    """The workbook, and the CSV to `answers_csv`, from one pass over the rows; the number of responses."""
    workbook = WorkbookWriter(export.sheet, export.language, export.report)
    answers = AnswersCsv(export.sheet.spec, answers_csv) if answers_csv is not None else None
    respondents = 0
    for chunk in chunks:
        for found in chunk:
            row = _raw_row(found, export.zone)
            workbook.add_response(row)
            if answers is not None:
                answers.add(row)
            if found.comment:
                workbook.add_comment(Comment(found.number, found.comment))
            respondents += 1
    if answers is not None:
        answers.finish()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), respondents


async def _told(chunks: AsyncIterator[list[ExportRow]], total: int,
                progress: Progress | None) -> AsyncIterator[list[ExportRow]]:
    """`chunks`, telling `progress` the share of the `total` responses read after each (99 at most)."""
    done = 0
    async for chunk in chunks:
        done += len(chunk)
        if progress is not None:
            await progress(min(99, done * 100 // max(total, 1)))
        yield chunk


async def _in_worker_thread(write: Callable[[Iterator[list[ExportRow]]], Written],
                            chunks: AsyncIterator[list[ExportRow]]) -> Written:
    """`write(rows)` in a worker thread, the event loop free meanwhile; each chunk is read on the loop when
    the thread asks for the next one. Once the caller is cancelled, the thread stops at its next chunk."""
    loop = asyncio.get_running_loop()
    cancelled = threading.Event()

    def pulled() -> Iterator[list[ExportRow]]:
        while not cancelled.is_set():
            chunk = asyncio.run_coroutine_threadsafe(anext(chunks, None), loop).result()
            if chunk is None:
                return
            yield chunk
        raise asyncio.CancelledError

    try:
        return await asyncio.to_thread(write, pulled())
    finally:
        cancelled.set()


def _raw_row(found: ExportRow, zone: ZoneInfo) -> RawAnswerRow:
    telegram = found.channel == storage.Channel.TELEGRAM
    return RawAnswerRow(
        respondent=found.number, channel=found.channel,  # type: ignore[arg-type] - the table's check allows these
        joined_at=found.joined_at.astimezone(zone) if telegram else None,
        submitted_at=found.submitted_at.astimezone(zone),
        duration=found.submitted_at - found.joined_at if telegram else None,
        ratings=found.ratings(),
    )
