"""Operations commands: sweep-orphans, backup and restore."""

import json
import os
import shutil
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from inspector import create_app
from inspector.auth import tokens
from inspector.extensions import db
from inspector.maintenance.objects import iter_objects
from inspector.maintenance.restore import is_at_head
from inspector.models import Inspection, Photo, User
from tests import factories
from tests.conftest import TEST_CONFIG

HOUR = 3600


def store(storage, key, age_hours):
    """Save a file under `key` and make it look `age_hours` old."""
    storage.save(key, f"bytes of {key}".encode(), "image/jpeg")
    make_old(storage.path(key), age_hours)


def make_old(path, age_hours):
    moment = time.time() - age_hours * HOUR
    os.utime(path, (moment, moment))


@pytest.fixture
def storage(app):
    return app.extensions["inspector.storage"]


@pytest.fixture
def photo_files(storage):
    """A photo row with its three files, long stored, and two orphans of different ages."""
    photo = factories.new_photo(factories.new_user())
    db.session.commit()
    referenced = [photo.original_key, photo.display_key, photo.thumb_key]
    for key in referenced:
        store(storage, key, age_hours=100)
    store(storage, "ab/old-orphan/display.jpg", age_hours=25)
    # An upload in flight: its files are written, its row not yet committed.
    store(storage, "cd/young-orphan/display.jpg", age_hours=23)
    return referenced


# --- sweep-orphans ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, deleted",
    [
        ([], {"ab/old-orphan/display.jpg"}),
        (["--grace-hours", "1"], {"ab/old-orphan/display.jpg", "cd/young-orphan/display.jpg"}),
        (["--grace-hours", "200"], set()),
    ],
)
def test_sweep_deletes_orphans_older_than_the_grace_period_and_never_referenced_keys(
    runner, storage, photo_files, args, deleted
):
    result = runner.invoke(args=["sweep-orphans", *args])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert {line.split()[2] for line in lines[:-1]} == deleted
    assert all(line.startswith("deleted orphan ") for line in lines[:-1])
    assert lines[-1] == (
        f"Deleted {len(deleted)} orphaned file{'' if len(deleted) == 1 else 's'} "
        "and 0 temporary files."
    )
    for key in photo_files:
        assert storage.exists(key)
    for key in ("ab/old-orphan/display.jpg", "cd/young-orphan/display.jpg"):
        assert storage.exists(key) == (key not in deleted)


def test_sweep_dry_run_lists_what_it_would_delete_and_deletes_nothing(runner, storage, photo_files):
    before = sorted(item.key for item in iter_objects(storage))
    result = runner.invoke(args=["sweep-orphans", "--dry-run"])
    assert result.exit_code == 0, result.output
    listed, summary = result.output.splitlines()
    assert listed.startswith("would delete orphan ab/old-orphan/display.jpg ")
    assert summary == "Would delete 1 orphaned file and 0 temporary files."
    assert sorted(item.key for item in iter_objects(storage)) == before


def test_sweep_removes_temporary_files_that_interrupted_writes_left(runner, storage):
    folder = os.path.join(storage.root, "ab", "abandoned")
    os.makedirs(folder)
    old, young = os.path.join(folder, ".tmp1x2y.part"), os.path.join(folder, ".tmp3z4w.part")
    for path, age_hours in ((old, 30), (young, 1)):
        with open(path, "wb") as partial:
            partial.write(b"half a photo")
        make_old(path, age_hours)
    result = runner.invoke(args=["sweep-orphans"])
    assert result.exit_code == 0, result.output
    listed, summary = result.output.splitlines()
    assert listed.startswith("deleted temp ab/abandoned/.tmp1x2y.part ")
    assert summary == "Deleted 0 orphaned files and 1 temporary file."
    assert not os.path.exists(old) and os.path.exists(young)


class ListingStorage:
    """A remote-style backend: no folder, but it lists its own objects."""

    def __init__(self, ages):
        now = datetime.now(UTC)
        self.objects = {key: now - timedelta(hours=hours) for key, hours in ages.items()}

    def iter_objects(self):
        return iter(self.objects.items())

    def delete(self, key):
        self.objects.pop(key, None)


def test_sweep_asks_a_remote_backend_to_list_its_objects(app, runner, monkeypatch):
    photo = factories.new_photo(factories.new_user())
    db.session.commit()
    remote = ListingStorage({photo.display_key: 100, "old/orphan.jpg": 48, "new/orphan.jpg": 2})
    monkeypatch.setitem(app.extensions, "inspector.storage", remote)
    result = runner.invoke(args=["sweep-orphans"])
    assert result.exit_code == 0, result.output
    assert set(remote.objects) == {photo.display_key, "new/orphan.jpg"}


def test_sweep_refuses_a_backend_that_cannot_list(app, runner, monkeypatch):
    monkeypatch.setitem(app.extensions, "inspector.storage", object())
    result = runner.invoke(args=["sweep-orphans"])
    assert result.exit_code != 0
    assert result.output == "Error: object cannot list its objects.\n"


# --- backup and restore ----------------------------------------------------------------


@pytest.fixture
def instances(tmp_path, migrated_db, monkeypatch):
    """Make apps on their own instance folders (SQLite file, local photos); close them after."""
    made = []

    def make(name, migrated=True, source=None):
        folder = tmp_path / name
        if source is not None:
            shutil.copytree(source, folder)
        elif migrated:
            folder.mkdir()
            shutil.copy(migrated_db, folder / "inspector.sqlite3")
        # The instance folder (and with it the default database and photos) comes from here.
        monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(folder))
        app = create_app(TEST_CONFIG)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, migrated_db):
    """An instance folder with the demo data and its photos, made once and copied by tests."""
    folder = tmp_path_factory.mktemp("seeded") / "instance"
    folder.mkdir()
    shutil.copy(migrated_db, folder / "inspector.sqlite3")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSPECTOR_INSTANCE_PATH", str(folder))
        app = create_app(TEST_CONFIG)
        assert invoke(app, "seed-demo").exit_code == 0
        with app.app_context():
            db.engine.dispose()
    return folder


def invoke(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def what_users_see(app):
    """Inspections with their scores, the score sheet and every display copy's bytes."""
    with app.app_context():
        storage = app.extensions["inspector.storage"]
        inspections = sorted(
            (i.uuid, i.status, i.percent, i.site.code, i.submitted_at)
            for i in db.session.scalars(select(Inspection))
        )
        photos = {}
        for photo in db.session.scalars(select(Photo)):
            with storage.open(photo.display_key) as display:
                photos[photo.uuid] = display.read()
        supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
        token = tokens.create_token(None, supervisor, "test")
        db.session.commit()
        db.session.remove()
    today = date.today()
    response = app.test_client().get(
        f"/api/v1/scores?from={today - timedelta(days=60)}&to={today + timedelta(days=1)}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return inspections, response.json, photos


def test_backup_then_restore_into_a_fresh_instance_gives_the_same_records(
    instances, seeded, tmp_path
):
    source = instances("source", source=seeded)
    backup = tmp_path / "backup"
    result = invoke(source, "backup", str(backup))
    assert result.exit_code == 0, result.output

    manifest = json.loads((backup / "manifest.json").read_text())
    with source.app_context():
        assert is_at_head(manifest["schema_revision"])
    assert manifest["tables"]["inspection"] >= 30 and manifest["tables"]["photo"] > 0
    assert manifest["photo_files"] == 3 * manifest["tables"]["photo"]
    assert sorted(os.listdir(backup)) == ["inspector.sqlite3", "manifest.json", "photos"]

    target = instances("target")
    result = invoke(target, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "db upgrade" not in result.output  # the backup is already at head
    inspections, scores, photos = what_users_see(target)
    assert (inspections, scores, photos) == what_users_see(source)
    assert len(inspections) == manifest["tables"]["inspection"]
    assert any(row["inspections"] for row in scores["departments"])


def test_backup_refuses_a_folder_that_is_not_empty(instances, tmp_path):
    app = instances("source")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me")
    result = invoke(app, "backup", str(dest))
    assert result.exit_code != 0
    assert result.output == f"Error: {dest} is not an empty folder; choose a new one.\n"
    assert os.listdir(dest) == ["notes.txt"]


def test_backup_refuses_a_folder_inside_the_photos(instances):
    app = instances("source")
    dest = os.path.join(app.extensions["inspector.storage"].root, "backup")
    result = invoke(app, "backup", dest)
    assert result.exit_code != 0 and "inside the photos folder" in result.output
    assert not os.path.exists(dest)


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_postgresql(tmp_path, monkeypatch, command):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path / "instance"))
    # Never connected to: the refusal comes before any query.
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:9/none"})
    result = invoke(app, command, str(tmp_path))
    assert result.exit_code != 0
    assert "pg_dump" in result.output and len(result.output.splitlines()) == 1


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_remote_storage(instances, tmp_path, monkeypatch, command):
    app = instances("instance")
    monkeypatch.setitem(app.extensions, "inspector.storage", ListingStorage({}))
    result = invoke(app, command, str(tmp_path))
    assert result.exit_code != 0
    assert "bucket versioning" in result.output and len(result.output.splitlines()) == 1


@pytest.fixture
def backup_of_demo(instances, seeded, tmp_path):
    source = instances("source", source=seeded)
    backup = tmp_path / "backup"
    assert invoke(source, "backup", str(backup)).exit_code == 0
    return backup


def test_restore_refuses_an_instance_that_has_users(instances, backup_of_demo):
    target = instances("target")
    with target.app_context():
        factories.new_user(username="already-here")
        db.session.commit()
        db.session.remove()
    result = invoke(target, "restore", str(backup_of_demo))
    assert result.exit_code != 0
    assert "already has users or inspections" in result.output
    assert len(result.output.splitlines()) == 1
    with target.app_context():
        assert db.session.scalars(select(User.username)).all() == ["already-here"]


def test_restore_refuses_an_instance_with_photo_files(instances, backup_of_demo):
    target = instances("target")
    target.extensions["inspector.storage"].save("ab/left/display.jpg", b"old", "image/jpeg")
    result = invoke(target, "restore", str(backup_of_demo))
    assert result.exit_code != 0
    assert "photos folder" in result.output and "is not empty" in result.output


def change_database(backup):
    with (backup / "inspector.sqlite3").open("ab") as database:
        database.write(b"\0")


def remove_manifest(backup):
    (backup / "manifest.json").unlink()


def remove_a_photo(backup):
    next((backup / "photos").rglob("thumb.jpg")).unlink()


@pytest.mark.parametrize(
    "damage, message",
    [
        (change_database, "Checksum mismatch"),
        (remove_manifest, "has no manifest.json"),
        (remove_a_photo, "photo files"),
    ],
)
def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    instances, backup_of_demo, damage, message
):
    damage(backup_of_demo)
    target = instances("target")
    result = invoke(target, "restore", str(backup_of_demo))
    assert result.exit_code != 0
    assert message in result.output and len(result.output.splitlines()) == 1
    with target.app_context():
        assert db.session.scalar(select(User.id)) is None
    assert not os.path.exists(target.extensions["inspector.storage"].root)


def test_restore_of_an_older_backup_is_brought_up_by_db_upgrade(instances, tmp_path):
    source = instances("source")
    with source.app_context():
        downgrade(revision="0003")
        db.engine.dispose()
    backup = tmp_path / "backup"
    assert invoke(source, "backup", str(backup)).exit_code == 0

    # Never migrated: restore is how this instance gets its database.
    target = instances("target", migrated=False)
    result = invoke(target, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "schema 0003" in result.output and "db upgrade" in result.output
    with target.app_context():
        upgrade()
        revision = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
        assert is_at_head(revision)
