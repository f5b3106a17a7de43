"""`surveybot specs import DOCUMENT -o FILE.yaml`: turn a spec document into a spec file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.specs_commands import BAD_INPUT, LanguageOption, fail, output_language, specs_app
from locales import translator
from specs.importer import import_spec


def import_command(
    document: Annotated[Path, typer.Argument(help="The spec document: .txt, .md or .docx.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The spec file to write (.yaml).")],
    spec_id: Annotated[
        str | None, typer.Option("--id", help="Spec id; default from 文件编号 (CTS TBSC120-2026 → TBSC120).")
    ] = None,
    service_en: Annotated[
        str | None, typer.Option("--service-en", help="English name of the service.")
    ] = None,
    lang: LanguageOption = None,
) -> None:
    """Read a spec document, check it like the bundled specs and write it as a spec file."""
    _ = translator(output_language(lang)).gettext
    result = import_spec(document, spec_id=spec_id, service_en=service_en)
    for warning in result.warnings:  # cover lines read past: the spec is written without them
        typer.echo(f"warning: {warning}", err=True)
    if not result.ok:
        typer.echo(_("Cannot import {document}; nothing was written:").format(document=document), err=True)
        for line in result.problems + [f"note: {note}" for note in result.notes]:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(BAD_INPUT)
    try:
        output.write_text(result.yaml_text(), encoding="utf-8")
    except OSError as exc:
        fail(_("Cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc))
    for line in result.summary():
        typer.echo(line)
    if result.questions_to_review:
        typer.echo(f"questions drafted for review: {', '.join(result.questions_to_review)}")
    typer.echo(_("Wrote {path}").format(path=output))


def register(app: typer.Typer) -> None:
    """Adds `import` to the `specs` group that bot.cli.specs_commands registers on `app`."""
    specs_app.command("import")(import_command)
