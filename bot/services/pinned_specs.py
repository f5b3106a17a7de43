"""The spec each survey is pinned to (DESIGN.md rule 2a): the stored copy of the revision it was created
with, found by its content hash. Read from the database once per process, then kept in the catalog's
memory, so a step of a warm survey costs no query. At start-up the specs in use are stored as
revisions; a spec file changed without a new version stops the start with a message naming the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.adapters.storage import Sessions, SurveyRecord
from bot.adapters.storage.spec_revisions import (
    RevisionConflict,
    register_revisions,
    revision_content,
    revisions_in_use,
    surveys_pinned_to,
)
from specs import Spec, SpecCatalog
from specs.revisions import revision_of, spec_of_content


class SpecNotLoaded(LookupError):
    """The survey's revision is not in this process's memory yet (`pinned_spec` reads it)."""

    def __init__(self, survey: SurveyRecord) -> None:
        super().__init__(f"survey {survey.code}: spec revision {survey.spec_sha256} not loaded")
        self.survey = survey


class SpecFileChanged(Exception):
    """Spec files whose id and version are stored with other content; the message names each file."""


@dataclass(frozen=True)
class RevisionLine:
    """A revision of a spec for `surveybot specs list`: `in_use` when new surveys are created with it."""

    spec_id: str
    service: str
    version: str
    document: str
    sha256: str
    items: int
    surveys: int
    in_use: bool


async def pinned_spec(sessions: Sessions, catalog: SpecCatalog, survey: SurveyRecord) -> Spec | None:
    """The spec `survey` was created with; None for a survey with no stored spec (its spec was not
    installed when revisions were first stored, migration 0007)."""
    return None if survey.spec_sha256 is None else await _revision(sessions, catalog, survey.spec_sha256)


async def _revision(sessions: Sessions, catalog: SpecCatalog, sha256: str) -> Spec | None:
    spec = catalog.revision(sha256)
    if spec is None:
        content = await revision_content(sessions, sha256)
        if content is None:
            return None
        spec = spec_of_content(content)
        catalog.remember(sha256, spec)
    return spec


def loaded_spec(catalog: SpecCatalog, survey: SurveyRecord) -> Spec | None:
    """`pinned_spec` from memory only, for work that cannot wait for the database (inside a step's
    transaction); SpecNotLoaded when the revision was not read yet: read it and do the work again."""
    if survey.spec_sha256 is None:
        return None
    spec = catalog.revision(survey.spec_sha256)
    if spec is None:
        raise SpecNotLoaded(survey)
    return spec


async def register_specs(sessions: Sessions, catalog: SpecCatalog, now: dt.datetime) -> None:
    """Store each spec in use as a revision unless it is stored (new surveys are pinned to it);
    SpecFileChanged names every file whose id and version are stored with other content."""
    conflicts = await register_revisions(sessions, [revision_of(spec) for spec in catalog], now)
    if conflicts:
        raise SpecFileChanged("\n".join([await _conflict_message(sessions, catalog, conflict)
                                         for conflict in conflicts]))


async def revision_lines(sessions: Sessions, catalog: SpecCatalog, language: str) -> list[RevisionLine]:
    """Every revision of every spec, stored or in use (a spec file not yet used by any survey is in use
    but may not be stored yet), by spec id, then in the order they were stored."""
    in_use = {revision_of(spec).sha256: spec for spec in catalog}
    stored = await revisions_in_use(sessions)
    counts = {revision.sha256: revision.surveys for revision in stored}
    hashes = [revision.sha256 for revision in stored] + [sha for sha in in_use if sha not in counts]
    lines = []
    for sha256 in hashes:
        spec = in_use.get(sha256) or await _revision(sessions, catalog, sha256)
        assert spec is not None  # stored, or in use
        lines.append(RevisionLine(spec.id, spec.service.in_language(language), spec.version, spec.document, sha256,
                                  len(spec.items), counts.get(sha256, 0), sha256 in in_use))
    return sorted(lines, key=lambda line: line.spec_id)  # stable: each id's revisions keep their order


async def _conflict_message(sessions: Sessions, catalog: SpecCatalog, conflict: RevisionConflict) -> str:
    spec = conflict.revision.spec
    surveys = await surveys_pinned_to(sessions, conflict.stored_sha256)
    return (f"{catalog.source(spec.id) or spec.id}: spec {spec.id} version {spec.version} differs from the copy "
            f"of that version stored in the database (sha256 {conflict.stored_sha256[:12]}, used by {surveys} "
            "survey(s)). Surveys keep the spec they were created with: give the changed file a new version "
            "(new surveys will use it), or put the file back as it was.")
