"""The `surveybot` command line. Each command group lives in a module of its own."""

from __future__ import annotations

import typer

app = typer.Typer(help="Telegram survey bot for service-certification audits.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Telegram survey bot for service-certification audits."""


def _register() -> None:
    # One line per command module; each module exposes `register(app)`.
    from bot.cli import (
        admin_commands,
        audit_commands,
        db,
        export_command,
        import_command,
        purge_command,
        run_command,
        score_command,
        specs_commands,
        specs_import_command,
        survey_commands,
        survey_edit_command,
        try_command,
        web_command,
    )

    for module in (run_command, survey_commands, try_command, score_command, specs_commands,
                   specs_import_command, purge_command, import_command, export_command, db, web_command,
                   admin_commands, audit_commands, survey_edit_command):
        module.register(app)


_register()
