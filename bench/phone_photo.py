"""What the phone sends for one photo: a 12 MP camera JPEG through the field app's shrinking
(static/js/field-photos.js) in Chromium, as the phone does before queueing it.

    .venv/bin/python bench/phone_photo.py [--json out.json]

The input is bench/photo_pipeline.py's generated 12 MP photo (noise and gradients, EXIF
orientation 6): harder to compress than most real photos, so the size is an upper bound.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.photo_pipeline import make_inputs  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SHRINK = """() => {
  const started = performance.now();
  return FieldPhotos.shrink(document.getElementById("f").files[0]).then((s) =>
    [s.bytes.byteLength, s.width, s.height, performance.now() - started]);
}"""


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    args = parser.parse_args()
    data = make_inputs()["jpeg"]
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo, sync_playwright() as playwright:
        photo.write(data)
        photo.flush()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<input type=file id=f>")
        page.add_script_tag(path=str(ROOT / "static" / "js" / "field-photos.js"))
        page.set_input_files("#f", photo.name)
        runs = [page.evaluate(SHRINK) for _ in range(3)]
        browser.close()
    sent, width, height, _ = runs[-1]
    ms = sorted(run[3] for run in runs)[1]
    figures = {"input_bytes": len(data), "sent_bytes": sent, "width": width, "height": height,
               "ms": ms}  # fmt: skip
    print(
        f"12 MP camera JPEG {len(data) / 1e6:.2f} MB -> {sent / 1024:.0f} KB "
        f"({sent / len(data):.0%}), {width}x{height}, {ms:.0f} ms in Chromium on this machine"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
