"""Browser tests: the app served on loopback, driven by Debian's Chromium at phone size."""

import os

import pytest
from flask_migrate import upgrade

from inspector import create_app
from inspector.extensions import db
from tests.conftest import TEST_CONFIG
from tests.liveserver import serving

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """A real server in a thread, on a migrated database with the demo data."""
    folder = tmp_path_factory.mktemp("live")
    with pytest.MonkeyPatch.context() as patch:  # photos in the test's folder, not the checkout's
        patch.setenv("INSPECTOR_INSTANCE_PATH", str(folder / "instance"))
        app = create_app(
            {
                **TEST_CONFIG,
                "WTF_CSRF_ENABLED": True,
                "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
            }
        )
    with app.app_context():
        upgrade()
        app.test_cli_runner().invoke(args=["seed-demo"])
    with serving(app) as url:
        app.config["LIVE_URL"] = url
        yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app):
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
    }


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker("browser")
