"""The database: tables, engine and the storage functions the bot calls.

Every function takes the session factory (`Sessions`, from `open_database(url).sessions`), runs one
short transaction, commits before returning and hands back plain frozen records, never ORM rows.
Times go in as timezone-aware datetimes (the caller's `now`) and come back as aware UTC.
"""

from bot.adapters.storage.aggregates import (
    ProgressCounts,
    TotalStats,
    item_histograms,
    pair_histograms,
    progress_counts,
    rated_respondents,
    total_stats,
)
from bot.adapters.storage.engine import (
    Database,
    Sessions,
    create_schema,
    drop_schema,
    make_engine,
    make_sessions,
    open_database,
)
from bot.adapters.storage.leads import (
    LeadRecord,
    add_lead,
    create_lead_invite,
    is_lead,
    leads_of,
    redeem_lead_invite,
)
from bot.adapters.storage.maturity import levels, set_level
from bot.adapters.storage.quality import QualityFlags, quality_flags
from bot.adapters.storage.reminders import (
    DigestRecipient,
    ReminderCandidate,
    claim_digest,
    claim_reminder,
    digest_recipients,
    lead_digest_enabled,
    reminder_candidates,
    set_lead_digest,
    set_reminder_policy,
    submitted_since,
    surveys_at_target,
    surveys_open_for_reminders,
)
from bot.adapters.storage.respondents import (
    DialogueState,
    RespondentInSurvey,
    RespondentRecord,
    StepChange,
    StepOvertaken,
    UserInSurvey,
    add_paper_respondent,
    join,
    latest_respondent_for_user,
    mark_chat_unreachable,
    mark_unreachable,
    respondent_by_id,
    respondent_for,
    set_screen_message,
    take_step,
)
from bot.adapters.storage.surveys import (
    ReminderPolicy,
    SurveyRecord,
    SurveySummaryRow,
    change_dates_and_target,
    claim_target_notice,
    create_survey,
    list_surveys,
    new_invite_code,
    set_status,
    survey_by_code,
    survey_by_id,
)
from bot.adapters.storage.tables import Channel, LeadRole, SurveyStatus
from bot.adapters.storage.tallies import Weighting, tally_submitted

__all__ = [
    "DigestRecipient", "ReminderCandidate", "claim_digest", "claim_reminder", "digest_recipients",
    "lead_digest_enabled", "reminder_candidates", "set_lead_digest", "set_reminder_policy",
    "submitted_since", "surveys_at_target", "surveys_open_for_reminders",
    "Channel", "Database", "LeadRecord", "LeadRole", "ProgressCounts", "ReminderPolicy",
    "QualityFlags", "quality_flags",
    "RespondentInSurvey", "RespondentRecord", "Sessions", "SurveyRecord", "SurveyStatus", "SurveySummaryRow",
    "TotalStats",
    "add_lead", "add_paper_respondent", "change_dates_and_target", "claim_target_notice",
    "create_lead_invite", "create_schema", "create_survey", "drop_schema", "is_lead", "item_histograms",
    "pair_histograms", "rated_respondents",
    "join", "latest_respondent_for_user", "leads_of", "levels", "list_surveys", "make_engine",
    "make_sessions", "mark_chat_unreachable", "mark_unreachable", "new_invite_code", "open_database",
    "progress_counts", "redeem_lead_invite", "respondent_by_id", "respondent_for",
    "take_step", "DialogueState", "StepChange", "StepOvertaken", "UserInSurvey", "set_level",
    "set_screen_message",
    "set_status", "tally_submitted", "Weighting", "survey_by_code", "survey_by_id", "total_stats",
]
