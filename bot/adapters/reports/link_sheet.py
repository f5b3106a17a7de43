"""Printable sheets of personal links: A4 pages of numbered slips, each a QR code of one link with its
number (as in the links' CSV) and the link itself for typing, under a title that may be Chinese;
all pages in one PDF (Pillow's own writer, black and white, CCITT-compressed).

    pages = link_sheet_pages(links, "城市管家公司 · 专属链接")    # PIL images, SLIPS_PER_PAGE slips each
    pdf = link_sheet_pdf(links, "城市管家公司 · 专属链接")        # bytes, one A4 page per image
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import segno
from PIL import Image, ImageDraw, ImageFont

from bot.adapters.reports.fonts import cjk_font

DPI = 150
PAGE_PX = (1240, 1754)  # A4 at 150 dots per inch
COLUMNS, ROWS = 4, 5
SLIPS_PER_PAGE = COLUMNS * ROWS
_MARGIN_PX = 60
_TITLE_PX = 110  # the title band at the top of each page
_QR_BORDER_MODULES = 2
_QR_MAX_PX = 200
_LABEL_PX, _LINK_PX = 26, 15  # font sizes


def link_sheet_pages(links: Sequence[str], title: str) -> list[Image.Image]:
    """The pages of slips (grayscale), links numbered from 1 in order; at least one page."""
    fonts = tuple(ImageFont.truetype(str(cjk_font().path), size=size) for size in (_LABEL_PX, _LINK_PX))
    page_count = max(1, math.ceil(len(links) / SLIPS_PER_PAGE))
    pages = []
    for page_number in range(page_count):
        page = Image.new("L", PAGE_PX, color=255)
        draw = ImageDraw.Draw(page)
        draw.text((_MARGIN_PX, _MARGIN_PX), f"{title}    {page_number + 1} / {page_count}", font=fonts[0], fill=0)
        first = page_number * SLIPS_PER_PAGE
        for index, link in enumerate(links[first:first + SLIPS_PER_PAGE]):
            _draw_slip(page, draw, index, first + index + 1, link, fonts)
        pages.append(page)
    return pages


def link_sheet_pdf(links: Sequence[str], title: str) -> bytes:
    """All pages of `link_sheet_pages` as one A4 PDF."""
    pages = [page.convert("1", dither=Image.Dither.NONE) for page in link_sheet_pages(links, title)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return buffer.getvalue()


def _draw_slip(page: Image.Image, draw: ImageDraw.ImageDraw, index: int, number: int, link: str,
               fonts: tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]) -> None:
    """Slip `index` of the page (row by row): a thin grey box with the QR code, "#number", the link."""
    width = (PAGE_PX[0] - 2 * _MARGIN_PX) // COLUMNS
    height = (PAGE_PX[1] - 2 * _MARGIN_PX - _TITLE_PX) // ROWS
    left = _MARGIN_PX + (index % COLUMNS) * width
    top = _MARGIN_PX + _TITLE_PX + (index // COLUMNS) * height
    draw.rectangle((left, top, left + width - 1, top + height - 1), outline=160)
    code = _qr_image(link)
    page.paste(code, (left + (width - code.width) // 2, top + 8))
    label_top = top + 8 + code.height + 4
    draw.text((left + 10, label_top), f"#{number}", font=fonts[0], fill=0)
    for line_number, line in enumerate(_wrapped(link, fonts[1], width - 20)):
        draw.text((left + 10, label_top + _LABEL_PX + 8 + line_number * (_LINK_PX + 3)), line, font=fonts[1], fill=0)


def _qr_image(link: str) -> Image.Image:
    """The QR code of `link`, whole pixels a module, at most _QR_MAX_PX wide."""
    qr = segno.make(link, error="m")
    side, _height = qr.symbol_size(scale=1, border=_QR_BORDER_MODULES)
    modules = Image.new("L", (side, side), color=255)
    modules.putdata([0 if dark else 255 for row in qr.matrix_iter(border=_QR_BORDER_MODULES) for dark in row])
    scale = max(1, _QR_MAX_PX // side)
    return modules.resize((side * scale, side * scale), Image.Resampling.NEAREST)


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` cut into lines no wider than `width` pixels (a link has no spaces to break at)."""
    lines, line, line_width = [], "", 0.0
    widths: dict[str, float] = {}
    for character in text:
        advance = widths.setdefault(character, font.getlength(character))
        if line and line_width + advance > width:
            lines.append(line)
            line, line_width = "", 0.0
        line, line_width = line + character, line_width + advance
    return [*lines, line] if line else lines
