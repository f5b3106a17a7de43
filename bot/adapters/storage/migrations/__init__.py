"""The Alembic migrations of the schema: `env.py`, `versions/` (one file per revision, ids 0001, 0002…).

Run them with `surveybot db upgrade` or `bot.adapters.storage.migrate`; developers create a revision with
`alembic -c bot/adapters/storage/migrations/alembic.ini revision --autogenerate --rev-id NNNN -m "..."`.
"""
