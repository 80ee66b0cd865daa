"""Benchmark inspector.photos.images.process_photo against plain Pillow on a 12 MP phone photo.

    .venv/bin/python bench/photo_pipeline.py [--input photo.jpg] [--runs 10] [--json out.json]

Without --input it makes a 4032x3024 phone-like JPEG (noise and gradients, EXIF
orientation 6, GPS) and a HEIC of the same pixels. Times are medians of interleaved runs
in this process; peak memory is measured in a fresh subprocess per variant, because
Pillow's pixel buffers are plain malloc() memory that tracemalloc does not see.
"""

import argparse
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageOps, features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing
from inspector.photos import images  # noqa: E402

SIZE = (4032, 3024)
STAMP = ["2026-11-24 14:05", "行政中心A区301 办公室", "李督查"]
TARGET_RATIO, TARGET_MB = 1.3, 80
LABELS = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "heif": "HEIC"}


def make_photo() -> Image.Image:
    """Return 12 MP of gradients, blotches, edges and sensor-like noise."""
    width, height = SIZE
    blotches = Image.effect_noise((width // 8, height // 8), 60).resize(
        SIZE, Image.Resampling.BICUBIC
    )
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(SIZE),
            Image.radial_gradient("L").resize(SIZE),
            blotches,
        ),
    )
    grain = Image.effect_noise(SIZE, 40)
    img = Image.blend(base, Image.merge("RGB", (grain, grain, grain)), 0.25)
    draw = ImageDraw.Draw(img)
    for i in range(40):  # window frames and door edges
        x, y = i * 97 % width, i * 53 % height
        draw.rectangle((x, y, x + 300, y + 200), outline=(i * 6, 255 - i * 6, i * 3), width=8)
    return img


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Orientation] = "Phone", 6
    exif.get_ifd(ExifTags.IFD.Exif).update(
        {
            ExifTags.Base.DateTimeOriginal: "2026:11:24 14:05:09",
            ExifTags.Base.OffsetTimeOriginal: "+08:00",
        }
    )
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (30.0, 34.0, 12.6), 3: "E", 4: (104.0, 3.0, 58.2)}
    )
    return exif


def make_inputs() -> dict[str, bytes]:
    import pillow_heif

    images.register_heif()
    # Like an iPhone: the HEIC is a grid of 512 px tiles (slow to encode: ~20 s).
    pillow_heif.options.GRID_TILE_SIZE = 512
    img, exif = make_photo(), phone_exif()
    inputs = {}
    for kind, params in (("jpeg", {"quality": 88}), ("heif", {"quality": 50})):
        out = io.BytesIO()
        img.save(out, images.PILLOW_FORMATS[kind], exif=exif, **params)
        inputs[kind] = out.getvalue()
    return inputs


def pillow_pipeline(data: bytes, same_settings: bool = True) -> tuple[bytes, bytes]:
    """The plain-Pillow pipeline: open with draft, exif_transpose, 1600 px, then 320 px."""
    resample = Image.Resampling.LANCZOS if same_settings else Image.Resampling.BICUBIC
    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", images.scaled_size(img.size, images.DISPLAY_EDGE, math.ceil))
        display = ImageOps.exif_transpose(img)
    display.thumbnail((images.DISPLAY_EDGE,) * 2, resample)
    display_jpeg = save(display, images.DISPLAY_QUALITY, same_settings, same_settings)
    display.thumbnail((images.THUMB_EDGE,) * 2, resample)
    return display_jpeg, save(display, images.THUMB_QUALITY, same_settings, False)


def save(img: Image.Image, quality: int, optimize: bool, progressive: bool) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=optimize, progressive=progressive)
    return out.getvalue()


VARIANTS = {
    "process_photo": images.process_photo,
    "process_photo + stamp": lambda data: images.process_photo(data, STAMP),
    "Pillow, same output settings": pillow_pipeline,
    "Pillow, all defaults": lambda data: pillow_pipeline(data, same_settings=False),
    "Pillow, full decode only": lambda data: Image.open(io.BytesIO(data)).load(),
}


def time_variants(data: bytes, runs: int) -> dict[str, float]:
    """Return the median seconds per variant; runs interleave so drift hits all alike."""
    for run in VARIANTS.values():
        run(data)  # warm up: plugin imports, font loading, libheif registration
    seconds: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(runs):
        for name, run in VARIANTS.items():
            started = time.perf_counter()
            run(data)
            seconds[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in seconds.items()}


ENCODINGS = {
    "baseline": {},
    "optimised Huffman tables": {"optimize": True},
    "progressive (what process_photo uses)": {"optimize": True, "progressive": True},
}


def encoder_lines(data: bytes, runs: int) -> list[str]:
    """Return a table of time and size of the display copy under each JPEG setting."""
    with images.open_image(io.BytesIO(data)) as img:
        edge = images.DISPLAY_EDGE
        display = images.fit(images.decode_scaled(img, edge), edge)
    lines = [f"| display copy ({display.width}x{display.height}, q82) | median ms | KB |"]
    lines.append("|---|---:|---:|")
    for name, params in ENCODINGS.items():
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            out = io.BytesIO()
            display.save(out, "JPEG", quality=images.DISPLAY_QUALITY, **params)
            seconds.append(time.perf_counter() - started)
        median = statistics.median(seconds) * 1000
        lines.append(f"| {name} | {median:.1f} | {len(out.getvalue()) / 1000:.0f} |")
    return lines


def memory_status() -> dict[str, float]:
    """Return this process's current (VmRSS) and peak (VmHWM) resident memory in MB."""
    # Not getrusage: Linux carries ru_maxrss over from the parent across fork and exec,
    # so a child would report this script's own peak from making the 12 MP inputs.
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}


def measure_memory(variant: str) -> None:
    """In a fresh process: print RSS before one upload (read from stdin) and the peak."""
    data = sys.stdin.buffer.read()
    images.register_heif()
    before = memory_status()["VmRSS"]
    VARIANTS[variant](data)
    print(json.dumps({"before": before, "peak": memory_status()["VmHWM"]}))


def memory_of(variant: str, data: bytes) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure-memory", variant]
    result = subprocess.run(command, input=data, capture_output=True, check=True)
    return json.loads(result.stdout)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{len(os.sched_getaffinity(0))} CPUs (nproc), {cpu}"


def versions() -> str:
    import pillow_heif

    return (
        f"Python {platform.python_version()}, Pillow {Image.__version__} "
        f"(libjpeg-turbo {features.version('libjpeg_turbo')}), pillow-heif "
        f"{pillow_heif.__version__} (libheif {pillow_heif.libheif_version()})"
    )


def table(inputs: dict[str, bytes], runs: int, figures: dict | None = None):
    """Measure everything; return the table's lines and the verdicts on the targets.

    `figures`, if given, is filled per input kind for make bench (bench/run_all.py).
    """
    lines = [
        "| input | variant | median ms | × Pillow (same settings) | peak RSS MB | + over idle MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    verdicts = []
    for kind, data in inputs.items():
        medians = time_variants(data, runs)
        baseline = medians["Pillow, same output settings"]
        label = f"{LABELS.get(kind, kind)} {len(data) / 1e6:.1f} MB"
        growth = {}
        for name, seconds in medians.items():
            memory = memory_of(name, data)
            growth[name] = memory["peak"] - memory["before"]
            lines.append(
                f"| {label} | {name} | {seconds * 1000:.0f} | {seconds / baseline:.2f} "
                f"| {memory['peak']:.0f} | {growth[name]:.0f} |"
            )
        verdicts.append(verdict(kind, medians, growth["process_photo"]))
        if figures is not None:
            figures[LABELS.get(kind, kind)] = {
                "ms": medians["process_photo"] * 1000,
                "ratio": medians["process_photo"] / baseline,
                "ratio_defaults": medians["process_photo"] / medians["Pillow, all defaults"],
                "rss_growth_mb": growth["process_photo"],
            }
    return lines, verdicts


def verdict(kind: str, medians: dict[str, float], growth: float) -> str:
    ratio = medians["process_photo"] / medians["Pillow, same output settings"]
    fastest = medians["process_photo"] / medians["Pillow, all defaults"]
    speed = "met" if ratio <= TARGET_RATIO else "MISSED"
    memory = "met" if growth <= TARGET_MB else "MISSED"
    return (
        f"- {LABELS.get(kind, kind)}: {ratio:.2f}× the plain-Pillow time (target "
        f"≤ {TARGET_RATIO}×: {speed}; {fastest:.2f}× the all-defaults pipeline); "
        f"{growth:.0f} MB over the idle process (target < {TARGET_MB} MB: {memory})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="a JPEG, PNG, WebP or HEIC to use instead")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    parser.add_argument("--measure-memory", metavar="VARIANT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        measure_memory(args.measure_memory)
        return
    if args.input:
        data = Path(args.input).read_bytes()
        inputs = {images.sniff_format(data[: images.SNIFF_BYTES]) or "input": data}
    else:
        inputs = make_inputs()
    figures = {}
    lines, verdicts = table(inputs, args.runs, figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures))
    encoders = encoder_lines(next(iter(inputs.values())), args.runs)
    print("\n".join([*lines, "", *verdicts, "", *encoders]))


if __name__ == "__main__":
    main()
