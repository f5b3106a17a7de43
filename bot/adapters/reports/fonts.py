"""Find an installed font that has Chinese glyphs, for the chart and the QR caption."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matplotlib import font_manager

CJK_FONT_PACKAGE = "fonts-wqy-microhei"

# File-name stems of common CJK fonts, most preferred first.
_CJK_FONT_FILES = (
    "wqy-microhei",
    "wqy-zenhei",
    "notosanscjk",
    "notosanssc",
    "sourcehansans",
    "notoserifcjk",
    "droidsansfallback",
    "uming",
    "ukai",
)


class MissingCJKFontError(RuntimeError):
    """No CJK font is installed, so Chinese text would render as empty boxes."""


@dataclass(frozen=True)
class CJKFont:
    path: Path
    family: str


@cache
def cjk_font() -> CJKFont:
    """The preferred installed CJK font, registered with matplotlib under its family name."""
    installed = [Path(path) for path in font_manager.findSystemFonts()]
    for stem in _CJK_FONT_FILES:
        for path in sorted(installed):
            if path.name.lower().replace("-", "").startswith(stem.replace("-", "")):
                font_manager.fontManager.addfont(str(path))
                return CJKFont(path, font_manager.FontProperties(fname=str(path)).get_name())
    raise MissingCJKFontError(
        "No font with Chinese glyphs is installed; charts and QR captions need one. "
        f"Install one, e.g. `apt-get install {CJK_FONT_PACKAGE}` (Debian/Ubuntu)."
    )
