"""Read a spec document file (.txt, .md or .docx) into cleaned lines of tab-separated cells."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from specs.importer.docx import docx_text
from specs.importer.normalize import clean_lines, decode

WORD_SUFFIXES = {".docx", ".docm"}


class UnreadableDocument(ValueError):
    """The file cannot be opened or decoded as a spec document."""


def document_lines(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise UnreadableDocument(f"{path.name}: old Word .doc files cannot be read; save it as .docx")
    try:
        raw = docx_text(path) if suffix in WORD_SUFFIXES else decode(path.read_bytes())
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise UnreadableDocument(f"{path.name}: cannot read: {exc}") from exc
    return clean_lines(raw)
