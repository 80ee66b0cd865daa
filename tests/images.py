"""Small real images made in code, for upload tests."""

import io

from PIL import Image


def jpeg_bytes(size=(640, 480), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png_bytes(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()
