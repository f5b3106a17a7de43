"""A survey's live summary from the database: the one function behind /summary, /export, the CLI
export and the daily digest.

Every figure rests on SQL aggregates over the tallies kept per submitted response (item × rating
counts with the "not applicable" ones, item-pair counts, per-respondent totals and flags; see
bot/adapters/storage/tallies.py); no answer is read. Scores go through the same `build_score_report` as
`surveybot score`, so the bot and the offline scorer agree.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping

from bot.adapters import storage
from bot.adapters.storage import Sessions, SurveyRecord
from bot.adapters.storage.aggregates import item_histograms_by_channel
from bot.adapters.storage.tables import Channel
from bot.adapters.storage.web import ChannelCount, channel_counts
from bot.services.pinned_specs import pinned_spec
from bot.services.ports import utc_now
from bot.services.score_report import build_score_report
from conversations.summary_figures import Scores, SurveySummary, lowest_items
from conversations.survey_dates import survey_state
from scoring.confidence import TotalsSummary, needs_pair_histograms
from scoring.service import item_scores, service_result
from specs import SpecCatalog
from specs.model import Spec


class SpecNotInstalledError(LookupError):
    """The survey has no stored spec (its spec was not installed when revisions were first stored)."""


async def spec_of(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord) -> Spec:
    """The spec the survey is pinned to (bot/services/pinned_specs.py)."""
    spec = await pinned_spec(sessions, catalog, survey)
    if spec is None:
        raise SpecNotInstalledError(f"survey {survey.code}: spec {survey.spec_id} is not installed")
    return spec


async def build_summary(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord,
                        now: dt.datetime | None = None) -> SurveySummary:
    """The survey's figures; its `status` is the state at `now` (default: the current time)."""
    spec = await spec_of(sessions, catalog, survey)
    progress = await storage.progress_counts(sessions, survey.id)
    channels = await channel_counts(sessions, survey.id)
    if progress.submitted == 0:
        flags, scores = storage.QualityFlags((), (), None, ()), None
    else:
        await storage.tally_submitted(sessions, survey.id, weighting(spec))
        flags, scores = await asyncio.gather(
            storage.quality_flags(sessions, survey.id), _scores(sessions, spec, survey.id))
    return SurveySummary(
        survey_id=survey.id, code=survey.code, organization=survey.organization, spec=spec,
        status=survey_state(survey.status, survey.opens_at, survey.closes_at, now or utc_now()).value,
        target=survey.target, closes_at=survey.closes_at, timezone=survey.timezone,
        joined=progress.joined, started=progress.started, submitted=progress.submitted, scores=scores,
        straight_liners=flags.straight_liners, speeders=flags.speeders,
        all_not_applicable=flags.all_not_applicable,
        submitted_by_channel=tuple((str(channel), count.submitted) for channel, count in sorted(channels.items())),
        score_by_channel=await _channel_scores(sessions, spec, survey.id, channels),
    )


def weighting(spec: Spec) -> storage.Weighting:
    return storage.Weighting(
        alphas_by_rating={rating: alpha for rating, alpha in enumerate(spec.alphas, start=1)},
        weights_by_item={item.code: float(item.weight) for item in spec.items},
    )


async def _channel_scores(sessions: Sessions, spec: Spec, survey_id: int,
                          channels: Mapping[Channel, ChannelCount]) -> tuple[tuple[str, float | None], ...]:
    """Each channel's own service score (None: undetermined, an item nobody of that channel rated) once
    more than one channel has submitted responses; the total is scored over all of them together."""
    if sum(1 for count in channels.values() if count.submitted) < 2:
        return ()
    histograms = await item_histograms_by_channel(sessions, survey_id)
    return tuple((channel, service_result(item_scores(spec, histograms[channel])).score)
                 for channel in sorted(histograms))


async def _scores(sessions: Sessions, spec: Spec, survey_id: int) -> Scores:
    histograms, stats, scored = await asyncio.gather(
        storage.item_histograms(sessions, survey_id), storage.total_stats(sessions, survey_id),
        storage.rated_respondents(sessions, survey_id))
    # The item-pair counts (up to 171 × 25 rows) only when someone answered "not applicable".
    pairs = (await storage.pair_histograms(sessions, survey_id)
             if needs_pair_histograms(spec, histograms, scored) else None)
    report = build_score_report(spec, histograms, TotalsSummary(stats.n, stats.total, stats.total_of_squares),
                                respondents=scored, pairs=pairs)
    interval = report.interval
    return Scores(
        respondents=report.respondents, items=tuple(report.items),
        characteristics=tuple(report.characteristics),
        service_score=report.service_score, grade=report.service_grade, interval=interval,
        lowest=lowest_items(spec, report.items),
        unrated=report.unrated, responses_to_determine=report.responses_to_determine,
    )
