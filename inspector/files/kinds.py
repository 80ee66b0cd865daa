"""What kind of document an upload is, read from its bytes alone. Pure: no Flask.

The name and the declared type are the sender's word; only the bytes decide. A file is a
PDF, a Word or Excel document (an Office Open XML zip holding its main part), or an image
Pillow can open whole within the pixel limit; anything else is refused.
"""

import io
import zipfile

from PIL import Image, UnidentifiedImageError

from inspector.photos.images import MAX_PIXELS, register_heif, sniff_format

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heif": "image/heif"}
EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heif": "heic",
}
OFFICE_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


class UnknownKindError(ValueError):
    """Not a kind of document we accept."""


class DamagedFileError(ValueError):
    """The right kind, but broken or absurd (an image bomb)."""


def media_type(data: bytes) -> str:
    """The media type of `data`; UnknownKindError or DamagedFileError when it is none we keep."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return office_type(data)
    image = sniff_format(data[:32])
    if image is not None:
        if image == "heif":
            register_heif()
        check_image(data)
        return IMAGES[image]
    raise UnknownKindError("not a PDF, DOCX, XLSX or image file")


def office_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnknownKindError("a damaged or unknown zip file") from None
    if "[Content_Types].xml" in names:
        for part, kind in OFFICE_PARTS.items():
            if part in names:
                return kind
    raise UnknownKindError("a zip file that is not a Word or Excel document")


def check_image(data: bytes) -> None:
    """DamagedFileError unless Pillow can read the whole image, within the pixel limit."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DamagedFileError("the image claims too many pixels")
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # JPEG: decode small
            image.load()  # reads every byte: a truncated file fails here
    except DamagedFileError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DamagedFileError("a damaged image") from None


def safe_name(name: str | None, media: str) -> str:
    """A download name: no folders or control characters, and the extension of its kind."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*;').strip(" .")
    extension = EXTENSIONS[media]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{(stem or 'file')[:150]}.{extension}"
