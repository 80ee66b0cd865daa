"""The evidence stamp: time, site and inspector drawn on a photo, like 水印相机 apps. Pure."""

import functools
import logging
import math
import os
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

STAMP_BAND = (0, 0, 0, 140)  # translucent black, like the watermark-camera apps

FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),  # Debian fonts-noto-cjk
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Arch
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # Debian fonts-wqy-microhei
)


def stamp(img: Image.Image, lines: Sequence[str], font_path: str | None = None) -> Image.Image:
    """Return a copy of RGB `img` with `lines` on a translucent dark band along its bottom."""
    if not lines:
        return img.copy()
    width, height = img.size
    font = stamp_font(lines, width, font_path)
    ink_top, _, _, ink_bottom = font.getbbox("国Hg")
    line_height = math.ceil((ink_bottom - ink_top) * 1.3)
    pad = margin(font)
    band_top = max(0, height - (2 * pad + line_height * len(lines)))
    band = img.crop((0, band_top, width, height)).convert("RGBA")
    band = Image.alpha_composite(band, Image.new("RGBA", band.size, STAMP_BAND))
    draw = ImageDraw.Draw(band)
    for number, line in enumerate(lines):
        draw.text((pad, pad + number * line_height - ink_top), line, font=font, fill="white")
    stamped = img.copy()
    stamped.paste(band.convert("RGB"), (0, band_top))
    return stamped


def stamp_font(lines: Sequence[str], width: int, font_path: str | None) -> ImageFont.FreeTypeFont:
    """Return a font sized to the image width, smaller if the longest line would not fit."""
    size = max(12, width // 30)
    font = load_font(size, font_path)
    widest = max(font.getlength(line) for line in lines)
    room = width - 2 * margin(font)
    if widest > room:
        font = load_font(max(8, int(size * room / widest)), font_path)
    return font


def margin(font: ImageFont.FreeTypeFont) -> int:
    """Return the space kept between the stamp's text and the band's edges."""
    return round(font.size * 0.7)


@functools.lru_cache(maxsize=16)
def load_font(size: int, font_path: str | None = None) -> ImageFont.FreeTypeFont:
    """Return a CJK font: `font_path`, else a known system path, else Pillow's default."""
    candidates = ((font_path, 0), *FONT_CANDIDATES) if font_path else FONT_CANDIDATES
    for path, index in candidates:
        if os.path.exists(path):
            return ImageFont.truetype(path, size, index=index)
    log.warning("no CJK font found (set a font path); Chinese stamps will render as boxes")
    return ImageFont.load_default(size)  # type: ignore[return-value]  # FreeType builds
