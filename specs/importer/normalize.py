"""Text clean-up: turn the shapes a spec document comes in into plain lines of tab-separated cells.

A document may be plain text exported from Word (tables as tab-separated rows), Markdown (headings,
bold markers, pipe tables, links, inline LaTeX), or carry HTML tags, a BOM and CRLF line ends.
`clean_lines` reduces all of them to the Word-export shape. `fold` maps full-width ASCII to
half-width one character for one character, so that a pattern matched on the folded text gives
positions that are valid in the original (whose Chinese punctuation is kept in the spec texts).
"""

from __future__ import annotations

import html
import re

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = ord(" ")
_SPACES = " \u3000\u00a0\u200b\ufeff"

_LATEX_SYMBOLS = {
    "leqslant": "≤",
    "leq": "≤",
    "le": "≤",
    "geqslant": "≥",
    "geq": "≥",
    "ge": "≥",
    "lt": "<",
    "gt": ">",
    "alpha": "α",
    "times": "×",
    "cdot": "·",
    "sim": "~",
}
_LATEX_COMMAND = re.compile(
    r"\\(" + "|".join(sorted(_LATEX_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])"
)
_LATEX_WRAPPER = re.compile(r"\\(?:text|mathrm|mathbf|textbf)\{([^{}]*)\}")
_LATEX_SPACING = re.compile(r"\\[,;:! ]")
_INLINE_MATH = re.compile(r"\$([^$\n]*)\$")

_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_CELL_GAP = re.compile(r"</t[dh]>\s*<t[dh](?:\s[^>]*)?>", re.IGNORECASE)
_HTML_ROW_END = re.compile(r"</?tr(?:\s[^>]*)?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")

_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}\s*")
_BULLET = re.compile(r"^ *[-*+] +")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"\*\*|__")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_PIPE_SEPARATOR = re.compile(r"^\|?[\s:|-]*-[\s:|-]*\|?$")


def fold(text: str) -> str:
    """Full-width ASCII (：，（）．／０-９ …) and the ideographic space to half-width; same length."""
    return text.translate(_FULL_WIDTH)


def decode(data: bytes) -> str:
    """Bytes of a text document: UTF-8 (with or without BOM), else GB18030 (Chinese Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def clean_lines(raw: str) -> list[str]:
    """The document as lines of tab-separated cells, stripped of Markdown, HTML and LaTeX markup."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _convert_latex(text)
    text = _convert_html(text)
    lines: list[str] = []
    for line in text.split("\n"):
        cleaned = _clean_line(line)
        if cleaned is not None:
            lines.append(cleaned)
    return lines


def cells_of(line: str) -> list[str]:
    return line.split("\t")


def _convert_latex(text: str) -> str:
    def math(match: re.Match[str]) -> str:
        inner = _LATEX_WRAPPER.sub(r"\1", match.group(1))
        inner = _LATEX_COMMAND.sub(lambda m: _LATEX_SYMBOLS[m.group(1)], inner)
        return _LATEX_SPACING.sub(" ", inner).replace("~", " ")

    text = _INLINE_MATH.sub(math, text)
    return _LATEX_COMMAND.sub(lambda m: _LATEX_SYMBOLS[m.group(1)], text)


def _convert_html(text: str) -> str:
    text = _HTML_BREAK.sub("", text)
    text = _HTML_CELL_GAP.sub("\t", text)
    text = _HTML_ROW_END.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text)


def _clean_line(line: str) -> str | None:
    """One line cleaned; None for a Markdown table separator row, which carries nothing."""
    stripped = line.strip(_SPACES)
    if stripped.startswith("|"):
        if _PIPE_SEPARATOR.match(stripped):
            return None
        line = "\t".join(stripped.strip("|").split("|"))
    line = _HEADING_MARK.sub("", line)
    line = _BULLET.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub("", line)
    line = _MARKDOWN_ESCAPE.sub(r"\1", line)
    cells = [" ".join(cell.strip(_SPACES + "\t").split()) for cell in line.split("\t")]
    if not any(cells):
        return ""
    return "\t".join(cells)
