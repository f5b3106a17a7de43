"""`surveybot specs list|show`: the service specs in use (bundled and the operator's SPECS_DIR)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from bot.adapters.settings import Settings
from bot.services.score_report import Column, appendix1_table, render_table
from locales import normalize_language, translator
from specs import Spec, SpecCatalog, load_catalog

BAD_INPUT = 2
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
    """Id, service, version, number of items and total weight of every spec in use."""
    _ = translator(output_language(lang)).gettext
    columns = [Column(_("Spec")), Column(_("Service")), Column(_("Version")), Column(_("Items"), ">"),
               Column(_("Total weight"), ">")]
    rows = [[spec.id, spec.service.zh, spec.version, str(len(spec.items)),
             str(sum(item.weight for item in spec.items))] for spec in catalog()]
    typer.echo(render_table(columns, rows))


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
