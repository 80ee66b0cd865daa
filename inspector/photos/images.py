"""Photo uploads: check they are real photos, read their metadata, make clean JPEG copies.

Pure image processing, no Flask and no database. `process_photo` is the entry point;
`sniff_format` lets the web layer refuse a non-image from its first bytes.

Capture times: EXIF records local wall-clock time. When the camera also wrote
OffsetTimeOriginal the time is returned aware; otherwise it is returned naive and the
caller interprets it in the deployment time zone (config TIMEZONE).
"""

import ctypes
import functools
import hashlib
import io
import logging
import math
import platform
import re
import struct
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import BinaryIO

from PIL import ExifTags, Image, ImageCms, JpegImagePlugin
from PIL.ExifTags import GPS

from inspector.photos.stamp import stamp

log = logging.getLogger(__name__)

# A 12 MP phone photo is 4032x3024; 48-50 MP sensors make 8064x6048 (48.8 MP).
MAX_PIXELS = 60_000_000
MAX_SIDE = 20_000
MAX_ASPECT = 20  # long screenshots pass; a 1-pixel-high "image" does not
DISPLAY_EDGE, DISPLAY_QUALITY = 1600, 82
THUMB_EDGE, THUMB_QUALITY = 320, 75
# Image.thumbnail's default: shrink by a whole factor with reduce() first, then Lanczos the
# last 2x or less. Three times faster from 1600 to 320 px and looks the same.
REDUCING_GAP = 2.0
SNIFF_BYTES = 12  # enough for every signature sniff_format knows
M_MMAP_THRESHOLD, LARGE_BLOCK = -3, 4 * 1024 * 1024  # glibc mallopt: allocations >= 4 MB mmap

# Our names for the accepted kinds, and what Pillow calls them when it opens them.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIF"}
# Pillow's JPEG opener returns an MPO for a JPEG carrying extra frames (depth maps, previews).
KINDS = {pillow: kind for kind, pillow in PILLOW_FORMATS.items()} | {"MPO": "jpeg"}
# ISO-BMFF major brands of HEVC-coded HEIF (iPhone: heic; some Androids: mif1).
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
# Everything Pillow or a plugin may raise while reading a broken file.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error)
# The transpositions ImageOps.exif_transpose applies, by EXIF Orientation value.
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# (path, face index): index 2 of the Noto CJK collections is Simplified Chinese.


class PhotoError(ValueError):
    """An upload the photo pipeline refuses; the message says why."""


class UnsupportedImage(PhotoError):  # noqa: N818 -- named for the HTTP answer: 415
    """Not a JPEG, PNG, WebP or HEIC/HEIF image, whatever its name or declared type."""


class BadImage(PhotoError):  # noqa: N818 -- named for the HTTP answer: 422
    """An accepted kind of image that is corrupt, truncated or absurdly large."""


@dataclass(frozen=True)
class Metadata:
    orientation: int = 1
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class ProcessedPhoto:
    format: str  # "jpeg", "png", "webp" or "heif", from the content
    width: int  # of the original, as it is meant to be seen (after EXIF orientation)
    height: int
    sha256: str  # hex digest of the bytes uploaded
    taken_at: datetime | None  # naive when the camera wrote no UTC offset
    lat: float | None
    lon: float | None
    display: bytes = field(repr=False)  # JPEG, long edge <= DISPLAY_EDGE, no metadata
    thumb: bytes = field(repr=False)  # JPEG, long edge <= THUMB_EDGE, no metadata


def sniff_format(head: bytes) -> str | None:
    """Return "jpeg", "png", "webp" or "heif" from a file's first SNIFF_BYTES, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    return None


def process_photo(
    source: bytes | BinaryIO,
    stamp_lines: Sequence[str] | None = None,
    *,
    font_path: str | None = None,
    max_pixels: int = MAX_PIXELS,
    room: Callable[[int], AbstractContextManager] = lambda _pixels: nullcontext(),
    sha256: str | None = None,
) -> ProcessedPhoto:
    """Check, describe and re-encode one uploaded photo (bytes or a seekable binary file).

    `room(pixels)` is entered around the decoding, once the header has said how many pixels
    it will hold: the caller's way to bound memory (it may wait, or refuse). `sha256` is the
    source's checksum when the caller already has it (taken while the upload arrived).
    """
    return_pixels_to_the_system()
    fp = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    fp.seek(0)
    digest = sha256 or hashlib.file_digest(fp, "sha256").hexdigest()
    img = open_image(fp, max_pixels)  # the header only: no pixels yet
    with room(img.width * img.height):
        kind = KINDS[img.format or ""]
        meta = read_metadata(img)
        width, height = oriented_size(img.size, meta.orientation)
        display = make_display(img, meta.orientation)
        del img  # its decoded pixels go now, before the room is given back
    # The thumbnail comes from the display copy: resizing 2 MP is far cheaper than 12 MP
    # again, and it stays unstamped because text at 320 px is unreadable anyway.
    thumb = fit(display, THUMB_EDGE)
    if stamp_lines:
        display = stamp(display, stamp_lines, font_path)
    return ProcessedPhoto(
        format=kind,
        width=width,
        height=height,
        sha256=digest,
        taken_at=meta.taken_at,
        lat=meta.lat,
        lon=meta.lon,
        display=encode_jpeg(display, DISPLAY_QUALITY, progressive=True),
        thumb=encode_jpeg(thumb, THUMB_QUALITY),
    )


def open_image(fp: BinaryIO, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open an accepted kind of image lazily: headers read and sizes checked, no pixels."""
    fp.seek(0)
    kind = sniff_format(fp.read(SNIFF_BYTES))
    fp.seek(0)
    if kind is None:
        raise UnsupportedImage("only JPEG, PNG, WebP and HEIC/HEIF photos are accepted")
    if kind == "heif":
        register_heif()
    try:
        # Only the sniffed format's plugin may open it: the content decides, and no
        # other of Pillow's many parsers ever sees uploaded bytes.
        img = Image.open(fp, formats=[PILLOW_FORMATS[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow warns above 89 MP and raises above 179 MP. The warning is caught only
        # where warnings are errors (the tests); warnings.catch_warnings would change
        # process-wide state under a threaded server, and check_dimensions refuses
        # those sizes anyway.
        raise BadImage("the image is too large") from exc
    except DECODE_ERRORS as exc:
        raise BadImage(f"the {kind.upper()} file is corrupt") from exc
    try:
        check_dimensions(img.size, max_pixels)
    except BadImage:
        img.close()
        raise
    return img


def check_dimensions(size: tuple[int, int], max_pixels: int = MAX_PIXELS) -> None:
    """Refuse sizes no phone photo has, before any pixel memory is spent on them."""
    width, height = size
    if width < 1 or height < 1:
        raise BadImage("the image has no pixels")
    if width * height > max_pixels:
        raise BadImage(f"{width}x{height} is more than {max_pixels / 1e6:g} megapixels")
    if max(size) > MAX_SIDE or max(size) > MAX_ASPECT * min(size):
        raise BadImage(f"{width}x{height} is not the shape of a photo")


@functools.cache
def return_pixels_to_the_system() -> None:
    """Make glibc give the memory of decoded pixels back at once: once, at the first photo.

    Pillow keeps an image in 16 MB blocks. After the first such block is freed, glibc raises
    its mmap threshold above that size and serves later blocks from the heap of the thread
    that asks; a server thread keeps that heap. Then every thread that ever decoded a 60 MP
    photo holds its 250 MB for good, and a worker grows to threads x 250 MB however few decode
    at once. A fixed threshold keeps large blocks in mmap, which munmap returns on free.
    """
    if platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)
    except (OSError, AttributeError):  # not worth refusing a photo over
        log.info("mallopt unavailable: decoded pixels may stay in thread heaps")


@functools.cache
def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF: once, when the first one arrives, not at import."""
    import pillow_heif  # loads libheif; apps that never see a HEIC never pay for it

    pillow_heif.register_heif_opener()


def make_display(img: Image.Image, orientation: int) -> Image.Image:
    """Decode `img` into an upright sRGB image whose long edge is at most DISPLAY_EDGE."""
    icc = img.info.get("icc_profile")
    pixels = normalise_mode(decode_scaled(img, DISPLAY_EDGE))
    return orient(to_srgb(fit(pixels, DISPLAY_EDGE), icc), orientation)


def decode_scaled(img: Image.Image, edge: int) -> Image.Image:
    """Decode `img`; a JPEG at 1/2, 1/4 or 1/8 scale when its long edge stays >= `edge`, a
    HEIC shrunk by a whole factor as it leaves libheif (decode_heif)."""
    if img.format == "HEIF" and img.fp is not None:  # not loaded yet: its upload is at hand
        return decode_heif(img, edge)
    if isinstance(img, JpegImagePlugin.JpegImageFile):
        # draft picks the largest reduction whose result is at least the requested size
        # in both dimensions, so ask for exactly the size the long edge will be cut to.
        img.draft("RGB", scaled_size(img.size, edge, math.ceil))
    try:
        img.load()
    except DECODE_ERRORS as exc:
        raise BadImage("the image data is corrupt or truncated") from exc
    return img


def decode_heif(img: Image.Image, edge: int) -> Image.Image:
    """Decode a HEIC, reduced by the largest whole factor that keeps its long edge >= `edge`.

    libheif hands the picture over as one buffer, and Pillow's own loading (pillow-heif's
    plugin) copies it into a second one as large: for a 12 MP photo the peak was +93 MB, over
    the 80 MB budget (issue 4). Here Pillow takes the buffer a band of rows at a time and
    keeps each band reduced, so the full picture is held once: +64 MB (docs/benchmarks.md).
    """
    import pillow_heif

    img.fp.seek(0)  # the upload, which the plugin read without decoding
    try:
        # The arguments pillow-heif's plugin opens with: the same pixels it would decode.
        heif = pillow_heif.open_heif(
            img.fp, convert_hdr_to_8bit=True, hdr_to_16bit=True, remove_stride=False
        )
        data, stride = heif.data, heif.stride  # size may change while decoding: read after
    except DECODE_ERRORS as exc:
        raise BadImage("the image data is corrupt or truncated") from exc
    factor = max(1, max(heif.size) // edge)
    return reduce_in_bands(memoryview(data), heif.mode, heif.size, stride, factor)


def reduce_in_bands(
    data: memoryview, mode: str, size: tuple[int, int], stride: int, factor: int, rows: int = 64
) -> Image.Image:
    """The picture in `data` (rows of `stride` bytes) in a mode that resizes well
    (normalise_mode: a 16-bit grey HEIC becomes 8-bit), reduced by `factor`: each pixel the
    mean of a factor x factor block, as Image.reduce. Read `rows` x `factor` rows at a time.

    A band starts at a multiple of `factor`, so no block straddles two: the result is the
    whole picture's reduce(), pixel for pixel (tests/photos/test_images.py).
    """
    width, height = size
    out = None
    band = rows * factor
    for top in range(0, height, band):
        count = min(band, height - top)
        rows_data = data[top * stride : (top + count) * stride]
        strip = Image.frombuffer(mode, (width, count), rows_data, "raw", mode, stride, 1)
        part = normalise_mode(strip)
        if factor > 1:
            part = part.reduce(factor)
        if out is None:
            out = Image.new(part.mode, (math.ceil(width / factor), math.ceil(height / factor)))
        out.paste(part, (0, top // factor))
    return out


def normalise_mode(img: Image.Image) -> Image.Image:
    """Return `img` in a mode that resizes well: RGB, RGBA, L, LA or CMYK."""
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        # 16-bit grey (PNG, HEIC): convert("L") would clip everything above 255 to white.
        # point() keeps an "I" image "I" whatever mode it is asked for; the scaled values
        # then fit "L".
        return img.convert("I").point(lambda value: value / 257).convert("L")
    if "transparency" in img.info or img.mode == "PA":
        return img.convert("RGBA")
    if img.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return img
    return img.convert("L" if img.mode == "1" else "RGB")


def fit(img: Image.Image, edge: int) -> Image.Image:
    """Shrink `img` so its long edge is at most `edge`; never enlarge it."""
    if max(img.size) <= edge:
        return img
    size = scaled_size(img.size, edge, round)
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def scaled_size(
    size: tuple[int, int], edge: int, rounding: Callable[[float], int] = round
) -> tuple[int, int]:
    """Return `size` scaled so its long edge is `edge` (or unchanged if already smaller)."""
    scale = min(1.0, edge / max(size))
    return max(1, rounding(size[0] * scale)), max(1, rounding(size[1] * scale))


def to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Return `img` as 8-bit sRGB, transparency composited on white."""
    if icc and img.mode in ("RGB", "RGBA", "CMYK"):
        img = convert_profile(img, icc)
    if img.mode in ("RGBA", "LA"):
        flat = Image.new("RGB", img.size, "white")
        flat.paste(img, mask=img.getchannel("A"))
        return flat
    return img if img.mode == "RGB" else img.convert("RGB")


def convert_profile(img: Image.Image, icc: bytes) -> Image.Image:
    """Convert `img` from its embedded ICC profile to sRGB; unchanged if the profile is bad."""
    # Phones embed Display P3: dropping the profile without converting dulls every colour.
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if img.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(img, source, srgb_profile(), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
        log.info("ignoring an unusable ICC profile: %s", exc)
        return img


@functools.cache
def srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def orient(img: Image.Image, orientation: int) -> Image.Image:
    """Turn `img` upright as EXIF Orientation says (ImageOps.exif_transpose's table)."""
    method = TRANSPOSE.get(orientation)
    return img if method is None else img.transpose(method)


def oriented_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Return `size` as seen after EXIF orientation: 5 to 8 swap width and height."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def encode_jpeg(img: Image.Image, quality: int, progressive: bool = False) -> bytes:
    """Encode RGB `img` as an optimised JPEG carrying no metadata at all."""
    # Progressive suits the display copy: 7% smaller, and it shows early on a slow phone
    # connection (20 ms more to encode; see docs/benchmarks.md).
    out = io.BytesIO()
    # Pillow copies a JPEG comment from img.info unless told otherwise; EXIF, ICC and
    # XMP are written only when passed, so this writes none of them.
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=progressive, comment=b"")
    return out.getvalue()


def read_metadata(img: Image.Image) -> Metadata:
    """Read orientation, capture time and position from the original's EXIF, best effort."""
    # EXIF is written by countless cameras and editors, often wrongly: a photo whose
    # metadata cannot be read is still a photo, so no failure here refuses an upload.
    try:
        exif = img.getexif()
        orientation = exif.get(ExifTags.Base.Orientation, 1)
        position = read_position(exif.get_ifd(ExifTags.IFD.GPSInfo))
        return Metadata(
            orientation=orientation if orientation in TRANSPOSE else 1,
            taken_at=read_taken_at(exif.get_ifd(ExifTags.IFD.Exif)),
            lat=position[0] if position else None,
            lon=position[1] if position else None,
        )
    except Exception:
        log.warning("ignoring unreadable EXIF in an upload", exc_info=True)
        return Metadata()


def read_taken_at(exif_ifd: dict) -> datetime | None:
    """Return DateTimeOriginal, aware when OffsetTimeOriginal is present, else naive."""
    raw = exif_ifd.get(ExifTags.Base.DateTimeOriginal)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:  # blank ("    :  :  ") or zero ("0000:00:00 00:00:00") dates
        return None
    offset = utc_offset(exif_ifd.get(ExifTags.Base.OffsetTimeOriginal))
    return taken if offset is None else taken.replace(tzinfo=offset)


def utc_offset(text: object) -> timezone | None:
    """Return the zone of an EXIF offset such as "+08:00", or None."""
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", str(text).strip("\x00 "))
    if match is None:
        return None
    delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
    if delta > timedelta(hours=14):  # real zones span -12:00 to +14:00
        return None
    return timezone(-delta if match[1] == "-" else delta)


def read_position(gps_ifd: dict) -> tuple[float, float] | None:
    """Return (lat, lon) in signed decimal degrees from a GPS IFD, or None."""
    lat = dms_degrees(gps_ifd.get(GPS.GPSLatitude), gps_ifd.get(GPS.GPSLatitudeRef), "S")
    lon = dms_degrees(gps_ifd.get(GPS.GPSLongitude), gps_ifd.get(GPS.GPSLongitudeRef), "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    # Cameras without a fix write zeros; nothing this app inspects is at 0°N 0°E.
    return None if lat == lon == 0 else (lat, lon)


def dms_degrees(dms: object, ref: object, negative_ref: str) -> float | None:
    """Return degrees, minutes, seconds as signed decimal degrees (rounded to ~1 cm)."""
    if not isinstance(dms, tuple) or len(dms) != 3:
        return None
    degrees = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    if not math.isfinite(degrees):  # a zero denominator reads as NaN
        return None
    sign = -1 if str(ref).strip("\x00 ").upper() == negative_ref else 1
    return round(sign * degrees, 7)
