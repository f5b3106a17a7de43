"""Read every part of a spec document that the spec file needs, collecting what cannot be read."""

from __future__ import annotations

from dataclasses import dataclass

from specs.importer.appendix1 import CharacteristicRow, read_items
from specs.importer.appendix2 import read_level_descriptions
from specs.importer.appendix3 import GroupRow, ManagementScale, read_management_scale, read_requirements
from specs.importer.findings import Findings
from specs.importer.front import (
    CertificationRow,
    FrontMatter,
    ScalePoint,
    read_certification,
    read_front_matter,
    read_references,
    read_scale,
)
from specs.importer.sections import find_sections


@dataclass(frozen=True)
class ParsedDocument:
    front: FrontMatter
    references: list[tuple[str, str]]
    scale: list[ScalePoint]
    characteristics: list[CharacteristicRow]
    groups: list[GroupRow]
    level_descriptions: dict[str, list[str]]
    management: ManagementScale
    certification: list[CertificationRow]


def parse_document(lines: list[str], findings: Findings) -> ParsedDocument:
    sections = find_sections(lines)
    front = read_front_matter(lines, sections, findings)
    references = read_references(sections.get("references"), findings)
    scale = read_scale(sections.get("scale"), findings)
    certification = read_certification(sections.get("result"), findings)
    characteristics = read_items(sections.get("appendix 1"), findings)
    groups = read_requirements(sections.get("appendix 3"), findings)
    group_codes = [group.code for group in groups]
    level_descriptions = read_level_descriptions(sections.get("appendix 2"), group_codes, findings)
    weights = sum(r.weight for group in groups for r in group.requirements)
    management = read_management_scale(sections.get("appendix 3"), weights, findings)
    return ParsedDocument(
        front, references, scale, characteristics, groups, level_descriptions, management, certification
    )
