"""The printable sheet of personal links: A4 pages at 150 dpi of 20 numbered slips each, a Chinese title,
all pages in one PDF."""

from __future__ import annotations

import io
import re

from PIL import Image

from bot.adapters.reports.link_sheet import PAGE_PX, link_sheet_pages, link_sheet_pdf

LINKS = [f"https://survey.example.org/p/{number:043d}" for number in range(1, 24)]


def test_23_links_make_two_a4_pages_and_every_slip_holds_a_qr_code() -> None:
    pages = link_sheet_pages(LINKS, "城市管家公司 · 专属链接")
    assert [page.size for page in pages] == [(1240, 1754), (1240, 1754)] == [PAGE_PX] * 2
    saved = io.BytesIO()
    pages[1].save(saved, format="PNG")
    reopened = Image.open(io.BytesIO(saved.getvalue()))
    assert reopened.size == (1240, 1754)
    # The second page has 3 slips in its first row and nothing below it: ink only where slips are.
    first_row, lower_rows = reopened.crop((60, 170, 1180, 500)), reopened.crop((60, 560, 1180, 1690))
    assert first_row.getextrema()[0] == 0 and lower_rows.getextrema() == (255, 255)


def test_the_pdf_has_one_page_per_20_links() -> None:
    pdf = link_sheet_pdf(LINKS, "Test Org")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2
