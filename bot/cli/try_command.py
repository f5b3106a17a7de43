"""`surveybot try --spec ID`: walk the respondent dialogue in the terminal; nothing is stored.

It drives the same `conversations.respondent` functions as the Telegram shell: a number picks a
button, "/help", "/cancel", "/language" and "/start" are commands, any other line is a text message.
"""

from __future__ import annotations

import typer

from bot.adapters.settings import Settings
from conversations.respondent import (
    Outcome,
    Screen,
    SurveyInfo,
    handle_action,
    handle_command,
    handle_text,
    new_state,
    start,
)
from locales import translator
from specs import load_catalog

QUIT = "q"


def try_survey(
    spec_id: str = typer.Option(..., "--spec", help="Spec id, e.g. TBSC120."),
    language: str = typer.Option("zh", "--lang", help="zh or en."),
    organization: str = typer.Option("Example Organization", "--organization",
                                     help="The audited organization's name to show."),
) -> None:
    """Preview the customer's survey dialogue in the terminal (stores nothing)."""
    catalog = load_catalog(Settings().specs_dir)
    spec = catalog.get(spec_id)
    if spec is None:
        known = ", ".join(s.id for s in catalog) or "-"
        typer.echo(f"Unknown spec {spec_id!r}; known specs: {known}", err=True)
        raise typer.Exit(2)
    survey = SurveyInfo(organization=organization, spec=spec)
    outcome = start(survey, new_state(language))
    typer.echo(translator(language).gettext(
        "Type a button number, any other text as a message, /help, /cancel, /language, or q to quit."))
    while True:
        _show(outcome.screen)
        if outcome.submitted:
            return
        line = _read_line()
        if line is None or line.strip() == QUIT:
            return
        outcome = _next(survey, outcome, line)


def _next(survey: SurveyInfo, outcome: Outcome, line: str) -> Outcome:
    buttons = outcome.screen.flat_buttons
    choice = line.strip()
    if choice.isascii() and choice.isdigit() and 1 <= int(choice) <= len(buttons):
        return handle_action(survey, outcome.state, outcome.screen.position, buttons[int(choice) - 1].action)
    if choice.startswith("/"):
        return handle_command(survey, outcome.state, choice)
    return handle_text(survey, outcome.state, line)


def _show(screen: Screen) -> None:
    typer.echo("")
    typer.echo(screen.text)
    number = 0
    for row in screen.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.text}")
        typer.echo("   ".join(labels))


def _read_line() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None


def register(app: typer.Typer) -> None:
    app.command("try")(try_survey)
