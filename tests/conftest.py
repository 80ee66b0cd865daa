"""Shared fixtures: an app on a freshly migrated database (SQLite and PostgreSQL), clients,
logins and API callers."""

import functools
import io
import itertools
import os
import re
import shutil
import uuid

import boto3
import pytest
from botocore.config import Config
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug import security

from inspector import create_app
from inspector.database import forced_kind
from inspector.extensions import db
from inspector.models import accounts as models_accounts
from tests import factories
from tests.postgres import ThrowawayPostgres, find_bin
from tests.s3server import HOST, ThrowawayS3

# Every test that uses `app` runs on each database; INSPECTOR_TEST_DATABASES narrows it.
DATABASES = os.environ.get("INSPECTOR_TEST_DATABASES", "sqlite,postgresql").split(",")
if "postgresql" in DATABASES and find_bin() is None:
    raise RuntimeError("PostgreSQL binaries not found: install postgresql (make test does)")
_database_numbers = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Run tests marked `sqlite_only` on SQLite only: the suite has a time budget, and a page's
    language or a form's CSRF field is the same on either database."""
    drop = [
        item for item in items if item.get_closest_marker("sqlite_only") and on_postgresql(item)
    ]
    if drop:
        dropped = set(drop)
        config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if item not in dropped]


def on_postgresql(item):
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("database_url") == "postgresql"


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
}


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as on a real server.

    The `app` fixture keeps a context open for the test's own queries; without this,
    requests would share its `g` (and so the signed-in user) and its database session.
    The test's own session is committed before and after each request, so the request
    sees what the test made and the test then sees what the request changed. The request
    decides its own kind of transaction from its method, as on a server, whatever the test's
    own code was set to take (see the notifications `worker` fixture).
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        token = forced_kind.set(None)
        try:
            with self.application.app_context():
                response = super().open(*args, **kwargs)
        finally:
            forced_kind.reset(token)
        db.session.commit()
        return response


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Hash the tests' passwords with one PBKDF2 round instead of scrypt (about 100 ms each way
    here: a sign-in cost more than the rest of most tests). Checking reads the method from the
    hash, so only making them changes; `real_password_hashing` puts scrypt back for a test."""
    cheap = functools.partial(security.generate_password_hash, method="pbkdf2:sha256:1")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models_accounts, "generate_password_hash", cheap)
        yield


@pytest.fixture
def real_password_hashing(monkeypatch):
    monkeypatch.setattr(models_accounts, "generate_password_hash", security.generate_password_hash)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """Build the schema once with the real migrations; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL server for the run, with a migrated template database."""
    server = ThrowawayPostgres(in_memory=True).start()
    server.execute("CREATE DATABASE inspector_template")
    app = create_app({**TEST_CONFIG, "DATABASE_URL": server.url("inspector_template")})
    with app.app_context():
        upgrade()
        db.engine.dispose()  # a template database must have no connections
    yield server
    server.stop()


def seed_demo(database_url, instance):
    """Run the real `seed-demo` on a database, its photos going to `instance`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSPECTOR_INSTANCE_PATH", str(instance))
        app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
        with app.app_context():
            assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory, migrated_db):
    """The migrated SQLite template with the demo data, seeded once; and its photos folder."""
    folder = tmp_path_factory.mktemp("seeded-sqlite")
    path = folder / "seeded.sqlite3"
    shutil.copy(migrated_db, path)
    seed_demo(f"sqlite:///{path}", folder / "instance")
    return path, folder / "instance"


@pytest.fixture(scope="session")
def seeded_postgresql(postgres, tmp_path_factory):
    """A PostgreSQL template database with the demo data, seeded once; and its photos folder."""
    folder = tmp_path_factory.mktemp("seeded-postgres")
    postgres.execute("CREATE DATABASE inspector_seeded TEMPLATE inspector_template")
    seed_demo(postgres.url("inspector_seeded"), folder / "instance")
    return "inspector_seeded", folder / "instance"


@pytest.fixture
def demo():
    """Asks for the demo data: `database_url` then copies the seeded template (seed-demo once)."""
    return True


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path, migrated_db):
    """A fresh, migrated database of each kind for one test (with the demo data, if asked)."""
    seeded = "demo" in request.fixturenames
    if seeded:
        template, instance = request.getfixturevalue(f"seeded_{request.param}")
        shutil.copytree(instance, tmp_path / "instance", dirs_exist_ok=True)
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(template if seeded else migrated_db, path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres")
    name = f"inspector_test_{next(_database_numbers)}"
    source = template if seeded else "inspector_template"
    server.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
    yield server.url(name)
    server.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def app(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Sign the test client in as a new user with `role`; return that user."""

    def login(role, department=None, **kwargs):
        user = factories.new_user(role=role, department=department, **kwargs)
        db.session.commit()
        response = client.post(
            "/login", data={"username": user.username, "password": factories.PASSWORD}
        )
        assert response.status_code in (302, 303), response.text
        return user

    return login


@pytest.fixture
def api(client):
    """Call the JSON API as a new user with `role` through a real bearer token."""

    class Api:
        def __init__(self):
            self.token = None

        def as_role(self, role, department=None, **kwargs):
            user = factories.new_user(role=role, department=department, **kwargs)
            self.token = factories.new_token(user)
            db.session.commit()
            return user

        def headers(self):
            return {"Authorization": f"Bearer {self.token}"} if self.token else {}

        def get(self, url, headers=None, **kw):
            return client.get(url, headers={**self.headers(), **(headers or {})}, **kw)

        def post(self, url, headers=None, **kw):
            return client.post(url, headers={**self.headers(), **(headers or {})}, **kw)

        def put(self, url, headers=None, **kw):
            return client.put(url, headers={**self.headers(), **(headers or {})}, **kw)

        def patch(self, url, headers=None, **kw):
            return client.patch(url, headers={**self.headers(), **(headers or {})}, **kw)

    return Api()


def csrf_token_from(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


# S3 over real HTTP: moto_server on loopback for the whole run, a new bucket per test.
REGION = "eu-central-1"
ACCESS_KEY, SECRET_KEY = "AKIDINSPECTORTEST", "inspector-test-secret"


@pytest.fixture(scope="session")
def s3_server():
    server = ThrowawayS3().start()
    yield server
    server.stop()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Credentials through the standard AWS chain, and nothing from this machine's ~/.aws."""
    settings = {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": HOST,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def plain_client(s3_server):
    """A client of our own, to look at the bucket behind the storage's back."""
    return boto3.session.Session().client(
        "s3", endpoint_url=s3_server.url, config=Config(s3={"addressing_style": "path"})
    )


@pytest.fixture
def bucket(s3_server, aws_env):
    """A new, empty bucket for one test: the server lives for the whole run."""
    name = f"inspector-{uuid.uuid4().hex[:16]}"
    plain_client(s3_server).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return name


class Phone:
    """Call the API as the field app does: the signed-in session and its CSRF token, taken
    from /field/data.json (static/js/api.js)."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def data(self, **kwargs):
        response = self.client.get("/field/data.json", **kwargs)
        assert response.status_code == 200, response.status_code
        self.token = response.json["csrf_token"]
        return response.json

    def send(self, method, url, **kwargs):
        if self.token is None:
            self.data()
        headers = {"X-CSRFToken": self.token, **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def put_photo(self, uuid, data):
        return self.send(
            "PUT", f"/api/v1/photos/{uuid}", data={"file": (io.BytesIO(data), "p.jpg")}
        )

    def put_inspection(self, uuid, body):
        return self.send("PUT", f"/api/v1/inspections/{uuid}", json=body)


@pytest.fixture
def phone(client):
    """The field app on a phone, signed in with `client`'s session."""
    return Phone(client)
