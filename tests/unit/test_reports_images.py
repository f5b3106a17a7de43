"""The invite QR code: a valid PNG, Chinese text drawn with real glyphs (the chart: test_summary_chart.py)."""

from __future__ import annotations

import io
import warnings

import segno
from PIL import Image

from bot.adapters.reports import invite_qr_png
from bot.adapters.reports.qr import MIN_SIDE_PX, QUIET_ZONE_MODULES

LINK = "https://t.me/audit_survey_bot?start=GZ2026A"


def _png(content: bytes) -> Image.Image:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def _modules(image: Image.Image, size: int) -> list[list[bool]]:
    """Read a square QR image back as dark/light modules by sampling each module's centre."""
    gray = image.convert("L")
    scale = image.width // (size + 2 * QUIET_ZONE_MODULES)

    def dark(row: int, column: int) -> bool:
        x = (column + QUIET_ZONE_MODULES) * scale + scale // 2
        y = (row + QUIET_ZONE_MODULES) * scale + scale // 2
        return gray.getpixel((x, y)) < 128

    return [[dark(row, column) for column in range(size)] for row in range(size)]


def test_qr_code_is_printable_and_holds_the_link() -> None:
    image = _png(invite_qr_png(LINK, None))
    assert image.width == image.height >= MIN_SIDE_PX
    expected = [[bool(module) for module in row] for row in segno.make(LINK, error="m").matrix]
    assert _modules(image, len(expected)) == expected


def test_qr_caption_goes_below_the_unchanged_code() -> None:
    plain = _png(invite_qr_png(LINK, None)).convert("L")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        captioned = _png(invite_qr_png(LINK, "扫码参加智慧城市管家服务满意度调查")).convert("L")
    assert captioned.width == plain.width and captioned.height > plain.height
    assert captioned.crop((0, 0, plain.width, plain.height)).tobytes() == plain.tobytes()
    caption_area = captioned.crop((0, plain.height, captioned.width, captioned.height))
    assert caption_area.getextrema()[0] < 128  # the caption put ink on the page
