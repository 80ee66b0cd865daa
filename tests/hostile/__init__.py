"""A corpus of hostile uploads (OWASP File Upload Cheat Sheet), made in code so every file is
reviewable: each entry is (name, filename sent, bytes, what must happen).

"refused" entries must get the given status and store nothing; "neutralised" ones are real
images carrying a payload: they may be stored, but no copy the app serves may contain it.
"""

import io
import zipfile

from PIL import Image

PAYLOAD = b"<script>alert(document.cookie)</script>"


def jpeg(size=(64, 48), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(size):
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    return buffer.getvalue()


def absurd_jpeg_header():
    """A real JPEG whose frame header claims 65,000 × 65,000 pixels."""
    data = bytearray(jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (65000).to_bytes(2, "big") + (65000).to_bytes(2, "big")
    return bytes(data)


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", PAYLOAD)
    return buffer.getvalue()


def huge_exif():
    """A JPEG with a 60 KB EXIF block: a comment stuffed with markup."""
    exif = Image.Exif()
    exif[0x9286] = b"ASCII\x00\x00\x00" + PAYLOAD * 1500  # UserComment
    return jpeg(exif=exif.tobytes())


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
SVG_XML = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)

REFUSED = [
    # (name, filename, data, status)
    ("svg with script", "photo.svg", SVG_SCRIPT, 415),
    ("svg named .jpg", "photo.jpg", SVG_XML, 415),
    ("html named .jpg", "photo.jpg", b"<!doctype html><html>" + PAYLOAD + b"</html>", 415),
    ("php named .jpg", "shell.php.jpg", b"<?php system($_GET['c']); ?>", 415),
    ("pdf", "report.pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF", 415),
    ("zip", "photos.zip", zip_bytes(), 415),
    ("windows program", "photo.exe", b"MZ\x90\x00" + b"\x00" * 200, 415),
    ("tiff (not on the allowlist)", "scan.tif", b"II*\x00" + b"\x00" * 200, 415),
    ("gif", "anim.gif", b"GIF89a" + b"\x00" * 100, 415),
    ("empty", "photo.jpg", b"", 415),
    ("truncated jpeg", "photo.jpg", jpeg((800, 600))[:700], 422),
    ("png decompression bomb", "bomb.png", png((30000, 30000)), 422),
    ("jpeg claiming 65000 x 65000", "huge.jpg", absurd_jpeg_header(), 422),
]  # fmt: skip

NEUTRALISED = [
    # (name, filename, data): accepted as the image it is; the payload must not survive
    ("jpeg with html appended (polyglot)", "photo.jpg", jpeg() + PAYLOAD),
    ("jpeg with a zip appended (gifar-style)", "photo.jpg", jpeg() + zip_bytes()),
    ("jpeg with markup in a comment", "photo.jpg", jpeg(comment=PAYLOAD)),
    ("jpeg with 60 KB of exif", "photo.jpg", huge_exif()),
    ("path traversal name", "../../../../etc/passwd.jpg", jpeg()),
    ("markup in the name", '"><img src=x onerror=alert(1)>.jpg', jpeg()),
]
