"""Bytes sent per photo from every path a phone has, measured in Chromium at phone size against
the app on loopback: the field app's inspection photo, its finding fix (after photo), and the
web forms that still post photos (a finding's fix, a finding opened by hand). Each path is
handed the same 12 MP camera JPEG; every one shrinks it on the phone before sending.

    .venv/bin/python bench/phone_photo.py [--json out.json]

The input is bench/photo_pipeline.py's generated 12 MP photo (noise and gradients, EXIF
orientation 6): harder to compress than most real photos, so the sizes are upper bounds.
"""

import argparse
import io
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.photo_pipeline import make_photo, phone_exif  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

PASSWORD = "wenming-2026"


def camera_jpeg() -> bytes:
    out = io.BytesIO()
    make_photo().save(out, "JPEG", quality=88, exif=phone_exif())
    return out.getvalue()


def serve(folder):
    """The app with the demo data on a loopback port, in a thread."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from inspector import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True,
                      "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"})  # fmt: skip
    with app.app_context():
        upgrade()
        app.test_cli_runner().invoke(args=["seed-demo"])
    sent = Sent(app.wsgi_app)
    app.wsgi_app = sent
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, sent, server, f"http://127.0.0.1:{server.server_port}"


def last_photo(app):
    from sqlalchemy import select

    from inspector.extensions import db
    from inspector.models import Photo

    with app.app_context():
        photo = db.session.scalar(select(Photo).order_by(Photo.id.desc()).limit(1))
        db.session.remove()
        return photo.width, photo.height


def sign_in(page, username):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button").last.click()
    page.wait_for_url("**/")


class Sent:
    """The bytes of each request that carries a photo, as the server receives them."""

    def __init__(self, app):
        self.app, self.sizes = app, []

    def __call__(self, environ, start_response):
        path, length = environ.get("PATH_INFO", ""), int(environ.get("CONTENT_LENGTH") or 0)
        if length > 10000 and ("/api/v1/photos/" in path or path.startswith("/findings/")):
            self.sizes.append(length)
        return self.app(environ, start_response)


def field_inspection(page, photo, _app):
    from playwright.sync_api import expect

    sign_in(page, "inspector2")
    page.locator('[data-action="start-inspection"]').click()
    page.locator('[data-site="B-102"]').click()
    page.locator("[data-template]").first.click()
    expect(page.locator("[data-item]").first).to_be_visible()
    for item in page.locator("[data-item]").all():
        if item.locator('[data-answer="pass"]').count():
            item.locator('[data-answer="pass"]').click()
    item = page.locator("[data-item]").first
    item.locator('[data-answer="fail"]').click()
    started = time.monotonic()
    page.locator("[data-item]").first.locator("input[type=file]").set_input_files(photo)
    expect(page.locator("[data-item] .thumb img[src^='blob:']").first).to_be_visible(timeout=30000)
    shrunk = time.monotonic() - started
    page.locator('[data-action="submit"]').click()
    page.locator('[data-action="submit"]').click()
    expect(page.locator(".record-state.state-sent")).to_be_visible(timeout=60000)
    return shrunk


def field_fix(page, photo, _app):
    from playwright.sync_api import expect

    sign_in(page, "lead-engineering")
    page.locator("[data-finding] a").first.click()
    started = time.monotonic()
    page.locator("input[type=file]").set_input_files(photo)
    expect(page.locator(".thumb img[src^='blob:']").first).to_be_visible(timeout=30000)
    shrunk = time.monotonic() - started
    page.locator('[data-action="submit"]').click()
    expect(page.locator(".record-state.state-sent")).to_be_visible(timeout=60000)
    return shrunk


def open_finding(app):
    from sqlalchemy import select

    from inspector.extensions import db
    from inspector.models import Finding, FindingStatus

    with app.app_context():
        ident = db.session.scalar(select(Finding.uuid).where(Finding.status == FindingStatus.OPEN))
        db.session.remove()
        return ident


def web_fix(page, photo, app):
    from playwright.sync_api import expect

    sign_in(page, "supervisor")
    page.goto(f"/findings/{open_finding(app)}")
    started = time.monotonic()
    page.locator("#fix input[type=file]").set_input_files(photo)
    expect(page.locator("#fix .shrink-state")).to_contain_text("KB", timeout=30000)
    shrunk = time.monotonic() - started
    page.locator("#fix button[type=submit]").click()
    page.wait_for_load_state()
    return shrunk


def web_new_finding(page, photo, _app):
    from playwright.sync_api import expect

    sign_in(page, "inspector")
    page.goto("/findings/new")
    page.select_option("select[name=site]", index=1)
    page.fill("input[name=title]", "乱堆乱放")
    started = time.monotonic()
    page.locator("input[type=file]").set_input_files(photo)
    expect(page.locator(".shrink-state")).to_contain_text("KB", timeout=30000)
    shrunk = time.monotonic() - started
    page.locator(
        "form[data-shrink-photos] button.primary, form[data-shrink-photos] button"
    ).last.click()
    page.wait_for_load_state()
    return shrunk


PATHS = {
    "field app: inspection photo": field_inspection,
    "field app: finding fix (after photo)": field_fix,
    "web form: a finding's fix": web_fix,
    "web form: a finding opened by hand": web_new_finding,
}


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    args = parser.parse_args()
    data = camera_jpeg()
    figures = {}
    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        photo = folder / "IMG_0001.JPG"
        photo.write_bytes(data)
        app, sent, server, base = serve(folder)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, walk in PATHS.items():
            context = browser.new_context(base_url=base, viewport=PHONE, is_mobile=True,
                                          has_touch=True, locale="zh-CN")  # fmt: skip
            page = context.new_page()
            sent.sizes.clear()
            seconds = walk(page, str(photo), app)
            context.close()
            width, height = last_photo(app)
            figures[label] = {"input_bytes": len(data), "sent_bytes": max(sent.sizes),
                              "width": width, "height": height, "ms": seconds * 1000}  # fmt: skip
            print(f"{label}: 12 MP camera JPEG {len(data) / 1e6:.2f} MB -> "
                  f"{max(sent.sizes) / 1024:.0f} KB sent, stored {width}x{height}, "
                  f"shrunk in {seconds * 1000:.0f} ms", flush=True)  # fmt: skip
        browser.close()
        server.shutdown()
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
