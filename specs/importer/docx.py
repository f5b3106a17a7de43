"""Read a .docx spec document into the same lines a plain-text export from Word would give.

Paragraphs become lines; each table row becomes one line of tab-separated cells. A cell merged
across columns gives its text once and empty cells for the columns it spans; a cell merged down
rows gives empty cells below its first row, as Word's own text export does.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


def docx_text(path: Path) -> str:
    """The document's paragraphs and table rows, in order, one per line."""
    document = docx.Document(str(path))
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if isinstance(element, CT_P):
            lines.append(Paragraph(element, document).text)
        elif isinstance(element, CT_Tbl):
            lines.append("")
            lines.extend(_table_lines(Table(element, document)))
            lines.append("")
    return "\n".join(lines)


def _table_lines(table: Table) -> list[str]:
    lines = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            cells.append("" if tc.vMerge == "continue" else _cell_text(tc, table))
            cells.extend("" for _ in range(tc.grid_span - 1))
        lines.append("\t".join(cells))
    return lines


def _cell_text(tc: CT_Tc, table: Table) -> str:
    """A cell's paragraphs joined without a separator (a line break inside a Chinese sentence)."""
    paragraphs = _Cell(tc, table).paragraphs
    return "".join(paragraph.text.replace("\t", " ").replace("\n", "") for paragraph in paragraphs)
