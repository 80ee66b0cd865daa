"""The app factory and its layered configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_refuses_default_secret_key_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INSPECTOR_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_starts_with_secret_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INSPECTOR_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/inspector.sqlite3"


def test_instance_config_file_then_environment_override(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('SECRET_KEY = "from-file"\nTIMEZONE = "Asia/Urumqi"\n')
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INSPECTOR_TIMEZONE", "UTC")
    monkeypatch.setenv("INSPECTOR_DATABASE_URL", "postgresql+psycopg://db.example/inspector")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["TIMEZONE"] == "UTC"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.example/inspector"


def test_test_config_overrides_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INSPECTOR_FINDING_DUE_DAYS", "3")
    app = create_app({"TESTING": True, "FINDING_DUE_DAYS": 5})
    assert app.config["FINDING_DUE_DAYS"] == 5


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    from inspector.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_starting_the_web_app_leaves_the_heavy_libraries_for_who_uses_them(tmp_path):
    """Cold start (issue 18): documents, workbooks, S3 and the queue load on first use."""
    script = (
        "import sys, wsgi; heavy = ('openpyxl', 'docx', 'weasyprint', 'boto3', 'huey', 'redis');"
        "print(','.join(name for name in heavy if name in sys.modules))"
    )
    env = {**os.environ, "INSPECTOR_INSTANCE_PATH": str(tmp_path), "INSPECTOR_SECRET_KEY": "k"}
    command = [sys.executable, "-c", script]
    loaded = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""
