"""The invite QR code as a printable PNG, optionally with a caption underneath."""

from __future__ import annotations

import io
import math

import segno
from PIL import Image, ImageDraw, ImageFont

from bot.adapters.reports.fonts import cjk_font

MIN_SIDE_PX = 600
QUIET_ZONE_MODULES = 4
_CAPTION_MARGIN_PX = 24


def invite_qr_png(link: str, caption: str | None = None) -> bytes:
    """A QR code of `link` at least MIN_SIDE_PX wide, with `caption` (may be Chinese) centred below it."""
    qr = segno.make(link, error="m")
    width, _height = qr.symbol_size(scale=1, border=QUIET_ZONE_MODULES)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=math.ceil(MIN_SIDE_PX / width), border=QUIET_ZONE_MODULES)
    if not caption:
        return buffer.getvalue()
    return _with_caption(Image.open(io.BytesIO(buffer.getvalue())), caption)


def _with_caption(code: Image.Image, caption: str) -> bytes:
    font = ImageFont.truetype(str(cjk_font().path), size=max(code.width // 20, 16))
    left, top, right, bottom = font.getbbox(caption)
    canvas_width = max(code.width, right - left + 2 * _CAPTION_MARGIN_PX)
    canvas = Image.new("L", (canvas_width, code.height + bottom - top + 2 * _CAPTION_MARGIN_PX), color=255)
    canvas.paste(code.convert("L"), ((canvas_width - code.width) // 2, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text(((canvas_width - (right - left)) // 2 - left, code.height + _CAPTION_MARGIN_PX - top),
              caption, font=font, fill=0)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()
