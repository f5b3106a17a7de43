"""The characteristic chart and the invite QR code: valid PNGs, Chinese text drawn with real glyphs."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import pytest
import segno
from matplotlib import font_manager
from PIL import Image

from bot.adapters.reports import (
    CJK_FONT_PACKAGE,
    MissingCJKFontError,
    invite_qr_png,
    render_characteristic_chart,
)
from bot.adapters.reports.fonts import cjk_font
from bot.adapters.reports.qr import MIN_SIDE_PX, QUIET_ZONE_MODULES

LINK = "https://t.me/audit_survey_bot?start=GZ2026A"
LABELS = ["功能性", "安全性", "时间性", "舒适性", "经济性", "文明性", "服务规范"]
PERCENTS = [74.7, 80.0, 80.0, 80.0, 80.0, 80.0, 100.0]


def _png(content: bytes) -> Image.Image:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


def test_chart_draws_chinese_labels_without_missing_glyph_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        content = render_characteristic_chart(LABELS, PERCENTS, "服务特性测评得分 80.7（三星级）")
    image = _png(content)
    assert image.format == "PNG"
    assert 800 <= image.width <= 2000 and 400 <= image.height <= 1500
    assert image.width > image.height


def test_chart_refuses_labels_and_values_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="7 labels but 6 percentages"):
        render_characteristic_chart(LABELS, PERCENTS[:6], "title")


def test_without_a_cjk_font_the_error_names_the_package(no_cjk_font: None) -> None:
    with pytest.raises(MissingCJKFontError, match=CJK_FONT_PACKAGE):
        render_characteristic_chart(LABELS, PERCENTS, "title")


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
