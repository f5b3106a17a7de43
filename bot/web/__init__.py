"""The web shell: the survey page for customers without Telegram (`surveybot web`)."""
