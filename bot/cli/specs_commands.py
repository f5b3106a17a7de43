"""`surveybot specs list|show`: the service specs in use (bundled and the operator's SPECS_DIR), and the
revisions stored for surveys."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from bot.adapters.settings import Settings
from bot.cli.survey_commands import open_configured_database, run_with_database
from bot.services.pinned_specs import RevisionLine, revision_lines
from bot.services.score_report import Column, appendix1_table, render_table
from locales import normalize_language, translator
from specs import Spec, SpecCatalog, load_catalog

BAD_INPUT = 2
HASH_SHOWN = 12  # hex digits of a revision's SHA-256 in `specs list`
specs_app = typer.Typer(help="The service specs in use.", no_args_is_help=True)


class Language(StrEnum):
    zh = "zh"
    en = "en"


LanguageOption = Annotated[
    Language | None, typer.Option("--lang", help="Language of the output; default DEFAULT_LANGUAGE.")]


def output_language(choice: Language | None) -> str:
    return choice.value if choice is not None else normalize_language(Settings().default_language)


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2: the input cannot be used."""
    typer.echo(message, err=True)
    raise typer.Exit(BAD_INPUT)


def catalog() -> SpecCatalog:
    """The bundled specs and those in SPECS_DIR; refused extra files are named on stderr."""
    specs = load_catalog(Settings().specs_dir)
    for problem in specs.refused:
        typer.echo(problem, err=True)
    return specs


def spec_or_exit(spec_id: str, language: str) -> Spec:
    """The spec with this id (any case), or one line naming the known ids and exit code 2."""
    specs = catalog()
    spec = specs.get(spec_id)
    if spec is None:
        _ = translator(language).gettext
        fail(_("unknown spec \"{spec}\" (known: {known})").format(
            spec=spec_id, known=", ".join(s.id for s in specs)))
    return spec


@specs_app.command("list")
def list_specs(lang: LanguageOption = None) -> None:
    """Every revision of every spec (the spec files in use and the copies stored in the database): id,
    service, version, document number, the start of its SHA-256, items, and how many surveys use it."""
    language = output_language(lang)
    _ = translator(language).gettext
    lines = run_with_database(_revision_lines(catalog(), language), language)
    columns = [Column(_("Spec")), Column(_("Service")), Column(_("Version")), Column(_("Document")),
               Column(_("SHA-256")), Column(_("Items"), ">"), Column(_("Surveys"), ">")]
    rows = [[line.spec_id, line.service, f"{line.version} *" if line.in_use else line.version, line.document,
             line.sha256[:HASH_SHOWN], str(line.items), str(line.surveys)] for line in lines]
    typer.echo(render_table(columns, rows))
    typer.echo(_("* in use: new surveys are created with this revision; existing surveys keep the one they "
                 "were created with."))


async def _revision_lines(specs: SpecCatalog, language: str) -> list[RevisionLine]:
    database = await open_configured_database(Settings())
    try:
        return await revision_lines(database.sessions, specs, language)
    finally:
        await database.close()


@specs_app.command("show")
def show_spec(spec_id: Annotated[str, typer.Argument(help="Spec id, e.g. TBSC120 (any case).")],
              lang: LanguageOption = None) -> None:
    """The Appendix 1 table of a spec: characteristics, dimensions, statements and weights."""
    language = output_language(lang)
    spec = spec_or_exit(spec_id, language)
    typer.echo(f"{spec.document}  {spec.service.in_language(language)}  ({spec.version})\n")
    typer.echo(appendix1_table(spec, language))


def register(app: typer.Typer) -> None:
    app.add_typer(specs_app, name="specs")
