"""The photo pipeline: what it accepts, what it refuses, and the copies it makes."""

import hashlib
import io
import random
import struct
import tempfile
import time
import warnings
import zlib

import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageDraw, ImageStat

from inspector.photos import images, stamp
from inspector.photos.images import BadImage, UnsupportedImage, process_photo, sniff_format

RED, BLUE, GREY = (230, 20, 20), (20, 40, 220), (128, 128, 128)
STAMP = ["2026-11-24 14:05", "行政中心A区301 办公室", "李督查"]


def photo(size=(2000, 1500), mode="RGB"):
    """Return a grey image with a red square in its top-left corner."""
    img = Image.new("RGB", size, GREY)
    marker = min(size) // 4
    ImageDraw.Draw(img).rectangle((0, 0, marker, marker), fill=RED)
    return img.convert(mode)


def encode(img, kind, **params):
    if kind == "heif":
        images.register_heif()  # the tests write HEIC; the app only reads it
    out = io.BytesIO()
    img.save(out, images.PILLOW_FORMATS.get(kind, kind.upper()), **params)
    return out.getvalue()


def exif_with(orientation=None, taken=None, offset=None, gps=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    return exif


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width, height):
    """Return a valid 1-bit black PNG: a few hundred KB that decode to width*height bytes."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def png_header(width, height):
    """Return a PNG that claims a size in its header and has almost no data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat)


def opened(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "heif"])
@pytest.mark.parametrize("size", [(2000, 1500), (1500, 2000)])
def test_accepted_formats_make_display_and_thumb(kind, size):
    data = encode(photo(size), kind)
    result = process_photo(data)
    assert (result.format, result.width, result.height) == (kind, *size)
    display, thumb = opened(result.display), opened(result.thumb)
    landscape = size[0] > size[1]
    assert display.size == ((1600, 1200) if landscape else (1200, 1600))
    assert thumb.size == ((320, 240) if landscape else (240, 320))
    assert (display.format, display.mode, thumb.format, thumb.mode) == ("JPEG", "RGB") * 2
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_jpeg_with_extra_frames_is_a_jpeg():
    # Phones write MPO (a JPEG plus previews or depth maps); Pillow calls it "MPO".
    out = io.BytesIO()
    photo().save(out, "MPO", save_all=True, append_images=[photo((400, 300))])
    assert process_photo(out.getvalue()).format == "jpeg"


@pytest.mark.parametrize("size", [(640, 480), (300, 200), (1600, 900)])
def test_small_images_are_never_enlarged(size):
    result = process_photo(encode(photo(size), "jpeg"))
    assert opened(result.display).size == size
    assert max(opened(result.thumb).size) == min(320, max(size))


def test_file_objects_work_like_bytes():
    data = encode(photo(), "jpeg")
    # Werkzeug hands a view a SpooledTemporaryFile for a large upload.
    with tempfile.SpooledTemporaryFile(max_size=1024) as spooled:
        spooled.write(data)
        assert process_photo(spooled) == process_photo(io.BytesIO(data)) == process_photo(data)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SVG, id="svg-with-script"),
        pytest.param(b"<!doctype html><html><body>photo.jpg</body></html>", id="html-as-jpg"),
        pytest.param(encode(photo((40, 30)), "gif"), id="gif"),
        pytest.param(encode(photo((40, 30)), "bmp"), id="bmp"),
        pytest.param(encode(photo((40, 30)), "tiff"), id="tiff"),
        pytest.param(encode(photo((40, 30)), "avif"), id="avif"),
        pytest.param(PDF, id="pdf"),
        pytest.param(b"\x00\x01" + random.Random(7).randbytes(4000), id="random-bytes"),
        pytest.param(b"", id="empty"),
    ],
)
def test_other_kinds_are_unsupported(data):
    with pytest.raises(UnsupportedImage):
        process_photo(data)


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\r", "png"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x18ftypheic", "heif"),
        (b"\x00\x00\x00\x18ftypmif1", "heif"),
        (b"\x00\x00\x00\x1cftypavif", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"<svg", None),
        (b"", None),
    ],
)
def test_sniff_format_reads_magic_bytes(head, kind):
    assert sniff_format(head) == kind


def truncated(kind):
    data = encode(photo(), kind, **({"quality": 90} if kind != "png" else {}))
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(truncated("jpeg"), id="truncated-jpeg"),
        pytest.param(truncated("png"), id="truncated-png"),
        pytest.param(truncated("heif"), id="truncated-heic"),
        pytest.param(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, id="corrupt-jpeg"),
        pytest.param(png_header(100_000, 100_000), id="header-claims-10-gigapixels"),
    ],
)
def test_broken_images_are_bad(data):
    with pytest.raises(BadImage):
        process_photo(data)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if the pipeline starts decoding pixels."""

    def decode_scaled(img, edge):
        raise AssertionError(f"decoded a {img.size} image that should have been refused")

    monkeypatch.setattr(images, "decode_scaled", decode_scaled)


@pytest.mark.parametrize(
    "size",
    [
        pytest.param((9000, 9000), id="81-megapixels"),  # under Pillow's own limits
        pytest.param((21_000, 2000), id="too-long"),
        pytest.param((8000, 300), id="too-thin"),
    ],
)
@pytest.mark.usefixtures("no_decoding")
def test_absurd_sizes_are_refused_before_decoding(size):
    with pytest.raises(BadImage):
        process_photo(png_bomb(*size))


@pytest.mark.usefixtures("no_decoding")
def test_png_bomb_is_refused_fast():
    bomb = png_bomb(30_000, 30_000)  # 900 million pixels
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    with pytest.raises(BadImage):
        process_photo(bomb)
    assert time.perf_counter() - started < 0.5


@pytest.mark.usefixtures("no_decoding")
def test_size_limit_holds_where_pillow_only_warns():
    # 100 MP is between Pillow's warning and its error; in production the warning is
    # not an exception, and the pipeline's own limit must still refuse it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with pytest.raises(BadImage):
            process_photo(png_bomb(10_000, 10_000))


@pytest.mark.parametrize(
    "orientation, size, corner",
    [
        (1, (1600, 800), (0, 0)),
        (3, (1600, 800), (1, 1)),
        (6, (800, 1600), (1, 0)),  # rotated 90° clockwise: top-left goes top-right
        (8, (800, 1600), (0, 1)),  # rotated 90° counter-clockwise: top-left goes bottom-left
    ],
)
def test_exif_orientation_turns_the_copies_upright(orientation, size, corner):
    data = encode(photo((3200, 1600)), "jpeg", exif=exif_with(orientation=orientation))
    result = process_photo(data)
    display = opened(result.display)
    assert display.size == size
    assert (result.width, result.height) == (size[0] * 2, size[1] * 2)
    x = 50 if corner[0] == 0 else display.width - 50
    y = 50 if corner[1] == 0 else display.height - 50
    assert_close(display.getpixel((x, y)), RED)
    assert opened(result.thumb).size == (size[0] // 5, size[1] // 5)


def test_heic_orientation_is_applied_once():
    # libheif applies HEIF's own rotation and pillow-heif resets the EXIF tag to 1.
    data = encode(photo((800, 400)), "heif", exif=exif_with(orientation=6))
    expected = opened(data)
    result = process_photo(data)
    assert (result.width, result.height) == expected.size
    assert opened(result.display).size == expected.size


def assert_close(pixel, colour, tolerance=30):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True)), pixel


GPS = {1: "N", 2: (30.0, 34.0, 12.6), 3: "E", 4: (104.0, 3.0, 58.2)}
EXIF = exif_with(taken="2026:11:24 14:05:09", offset="+08:00", gps=GPS)


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "heif"])
def test_copies_carry_no_metadata(kind):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    extra = {"comment": b"secret", "xmp": b"<x:xmpmeta>secret</x:xmpmeta>"}
    data = encode(photo(), kind, exif=EXIF, icc_profile=icc, **(extra if kind == "jpeg" else {}))
    result = process_photo(data)
    assert result.lat is not None
    for copy in (result.display, result.thumb):
        img = opened(copy)
        assert not img.getexif()
        assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(img.info)
        assert b"Exif" not in copy
        assert b"secret" not in copy


def test_jpeg_comments_are_not_copied():
    # Pillow carries a JPEG comment over to a re-encoded JPEG unless told not to.
    result = process_photo(encode(photo((800, 600)), "jpeg", comment=b"secret"))
    assert b"secret" not in result.display
    assert "comment" not in opened(result.display).info


@pytest.mark.parametrize("kind", ["jpeg", "heif"])
def test_capture_time_and_position_come_from_exif(kind):
    result = process_photo(encode(photo(), kind, exif=EXIF))
    assert result.taken_at.isoformat() == "2026-11-24T14:05:09+08:00"
    assert result.lat == pytest.approx(30 + 34 / 60 + 12.6 / 3600)
    assert result.lon == pytest.approx(104 + 3 / 60 + 58.2 / 3600)


def test_photos_without_exif_have_no_time_or_position():
    result = process_photo(encode(photo(), "jpeg"))
    assert (result.taken_at, result.lat, result.lon) == (None, None, None)


@pytest.mark.parametrize(
    "taken, offset, expected",
    [
        ("2026:11:24 14:05:09", "+08:00", "2026-11-24T14:05:09+08:00"),
        ("2026:11:24 14:05:09", "-03:30", "2026-11-24T14:05:09-03:30"),
        ("2026:11:24 14:05:09", None, "2026-11-24T14:05:09"),  # naive: deployment zone
        ("2026:11:24 14:05:09\x00", "+99:00", "2026-11-24T14:05:09"),
        ("0000:00:00 00:00:00", "+08:00", None),
        ("    :  :     :  :  ", None, None),
    ],
)
def test_read_taken_at(taken, offset, expected):
    ifd = {ExifTags.Base.DateTimeOriginal: taken, ExifTags.Base.OffsetTimeOriginal: offset}
    taken_at = images.read_taken_at(ifd)
    assert (taken_at.isoformat() if taken_at else None) == expected


@pytest.mark.parametrize(
    "gps, expected",
    [
        ({1: "N", 2: (30.0, 30.0, 0.0), 3: "E", 4: (104.0, 15.0, 0.0)}, (30.5, 104.25)),
        ({1: "S", 2: (33.0, 52.0, 12.0), 3: "W", 4: (70.0, 39.0, 0.0)}, (-33.87, -70.65)),
        ({2: (30.0, 30.0, 0.0), 4: (104.0, 15.0, 0.0)}, (30.5, 104.25)),
        ({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}, None),  # no fix
        ({1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (104.0, 0.0, 0.0)}, None),
        ({1: "N", 2: (30.0, 30.0), 3: "E", 4: (104.0, 15.0, 0.0)}, None),
        ({1: "N", 2: (30.0, 30.0, 0.0)}, None),
        ({}, None),
    ],
)
def test_read_position(gps, expected):
    position = images.read_position(gps)
    assert position == (pytest.approx(expected) if expected else None)


def transparent(mode):
    """Return a transparent 400x300 image with an opaque blue square in the middle."""
    if mode == "P":
        img = Image.new("P", (400, 300), 0)
        img.putpalette([0, 0, 0, *BLUE])
        img.info["transparency"] = 0
        ink = 1
    else:
        # Transparent pixels are black underneath: they must come out white, not black.
        img = Image.new(mode, (400, 300), (0,) * len(mode))
        ink = (*BLUE, 255) if mode == "RGBA" else (60, 255)
    ImageDraw.Draw(img).rectangle((150, 100, 250, 200), fill=ink)
    return img


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_is_composited_on_white(mode):
    display = opened(process_photo(encode(transparent(mode), "png")).display)
    assert_close(display.getpixel((10, 10)), (255, 255, 255), tolerance=3)
    assert max(display.getpixel((200, 150))) < 230


def test_sixteen_bit_grey_is_scaled_not_clipped():
    data = encode(Image.new("I;16", (64, 64), 32768), "png")
    grey = opened(process_photo(data).display).getpixel((32, 32))
    assert_close(grey, (128, 128, 128), tolerance=3)


def test_cmyk_jpeg_becomes_rgb():
    result = process_photo(encode(photo(mode="CMYK"), "jpeg"))
    display = opened(result.display)
    assert display.mode == "RGB"
    assert_close(display.getpixel((50, 50)), RED, tolerance=40)


def test_unusable_icc_profile_is_ignored():
    result = process_photo(encode(photo(), "jpeg", icc_profile=b"not a profile"))
    assert_close(opened(result.display).getpixel((50, 50)), RED)


@pytest.mark.parametrize(
    "size, decoded",
    [
        ((4032, 3024), (2016, 1512)),  # 1/4 would be 1008 px: too small for 1600
        ((3024, 4032), (1512, 2016)),
        ((3200, 1600), (1600, 800)),  # exactly 1600 after halving
        ((1200, 900), (1200, 900)),
    ],
)
def test_big_jpegs_are_decoded_at_reduced_scale(size, decoded):
    data = encode(Image.new("RGB", size, GREY), "jpeg")
    with images.open_image(io.BytesIO(data)) as img:
        assert images.decode_scaled(img, 1600).size == decoded


def test_big_heics_are_reduced_as_they_are_decoded():
    # A red square top left, as photo() draws it: it must stay where it was, and the result
    # must look like decoding the whole picture and shrinking it (what Pillow alone does).
    data = encode(photo((3400, 1800)), "heif", quality=90)
    with images.open_image(io.BytesIO(data)) as img:
        decoded = images.decode_scaled(img, 1600)
    assert decoded.size == (1700, 900)  # 3400 // 1600 = 2; 1/3 would be under 1600
    result = opened(process_photo(data).display)
    reference = opened(data).resize(result.size, Image.Resampling.LANCZOS)
    assert result.size == (1600, 847)
    difference = ImageChops.difference(result.convert("RGB"), reference.convert("RGB"))
    assert max(ImageStat.Stat(difference).mean) < 2  # JPEG noise; the content is the same
    assert_close(result.getpixel((100, 100)), RED)
    assert_close(result.getpixel((1500, 800)), GREY)


@pytest.mark.parametrize("mode, depth", [("RGB", 3), ("RGBA", 4), ("L", 1), ("I;16", 2)])
@pytest.mark.parametrize("size", [(301, 203), (640, 128), (7, 1000)])
@pytest.mark.parametrize("factor", [1, 2, 3])
def test_reducing_in_bands_is_reducing_the_whole_picture(mode, depth, size, factor):
    rng = random.Random(f"{mode}{size}{factor}")
    noise = bytes(rng.randrange(256) for _ in range(size[0] * size[1] * depth))
    whole = images.normalise_mode(Image.frombytes(mode, size, noise))
    stride = size[0] * depth
    banded = images.reduce_in_bands(memoryview(noise), mode, size, stride, factor, rows=5)
    assert banded.mode == ("L" if mode == "I;16" else mode)
    assert banded.tobytes() == (whole.reduce(factor) if factor > 1 else whole).tobytes()


@pytest.mark.parametrize("bits", [10, 12])
def test_a_big_16_bit_grey_heic_is_accepted(bits):
    # pillow-heif hands a deep grey HEIC over as I;16 (its 8-bit conversion is for colour),
    # which Image.reduce cannot take: each band is made 8-bit grey first.
    grey = Image.new("I;16", (3400, 1800), 40000)
    ImageDraw.Draw(grey).rectangle((0, 0, 400, 400), fill=2000)
    result = process_photo(encode(grey, "heif", save_to_12bit=bits == 12))
    display = opened(result.display)
    assert display.size == (1600, 847)
    assert_close(display.convert("RGB").getpixel((50, 50)), (8, 8, 8), tolerance=12)
    assert_close(display.convert("RGB").getpixel((1000, 600)), (155, 155, 155), tolerance=12)


@pytest.mark.parametrize(
    "size, edge, expected",
    [
        ((4032, 3024), 1600, (1600, 1200)),
        ((100, 50), 1600, (100, 50)),
        ((20000, 1000), 320, (320, 16)),
    ],
)
def test_scaled_size(size, edge, expected):
    assert images.scaled_size(size, edge) == expected


def band_of(img):
    return img.crop((0, img.height * 3 // 4, img.width, img.height))


def test_stamp_darkens_the_bottom_band_and_writes_on_it():
    img = photo((1600, 1200))
    stamped = stamp.stamp(img, STAMP)
    assert stamped.size == img.size and stamped.mode == "RGB"
    assert stamped.crop((0, 0, 1600, 600)).tobytes() == img.crop((0, 0, 1600, 600)).tobytes()
    colours = band_of(stamped).getcolors(1_000_000)
    assert any(sum(c) < sum(GREY) - 100 for _, c in colours)  # the dark band
    assert any(min(c) > 240 for _, c in colours)  # white text


def test_stamp_renders_chinese_glyphs():
    # A font without CJK draws every character as the same empty box.
    img = Image.new("RGB", (800, 600), GREY)
    first, second = (stamp.stamp(img, [text]) for text in ("李", "查"))
    assert band_of(first).tobytes() != band_of(second).tobytes()


def test_stamp_text_scales_with_the_image():
    def band_height(width):
        stamped = stamp.stamp(Image.new("RGB", (width, width), GREY), ["李督查"])
        return sum(1 for y in range(width) if stamped.getpixel((width - 1, y)) != GREY)

    assert 1.8 < band_height(1600) / band_height(800) < 2.2


def test_stamp_long_lines_shrink_to_fit():
    line = "行政中心A区301 办公室 " * 6
    band = band_of(stamp.stamp(Image.new("RGB", (1600, 1200), GREY), [line]))
    assert any(min(c) > 240 for _, c in band.crop((1000, 0, 1500, band.height)).getcolors(10**6))
    assert all(min(c) < 200 for _, c in band.crop((1580, 0, 1600, band.height)).getcolors(10**6))


def test_stamp_without_lines_changes_nothing():
    img = photo((800, 600))
    assert stamp.stamp(img, []).tobytes() == img.tobytes()


def test_missing_fonts_fall_back_to_the_default(monkeypatch, caplog):
    monkeypatch.setattr(stamp, "FONT_CANDIDATES", ())
    stamp.load_font.cache_clear()
    try:
        font = stamp.load_font(40, "/nonexistent/font.ttc")
    finally:
        stamp.load_font.cache_clear()
    assert "no CJK font" in caplog.text
    assert font.getlength("abc") > 0


def test_process_photo_stamps_only_the_display_copy():
    data = encode(photo((2000, 1500)), "jpeg")
    plain, stamped = process_photo(data), process_photo(data, STAMP)
    assert band_of(opened(stamped.display)).tobytes() != band_of(opened(plain.display)).tobytes()
    assert stamped.thumb == plain.thumb
    assert stamped.sha256 == plain.sha256
