"""The respondent and audit-lead dialogues as pure state machines (no Telegram, no database)."""
