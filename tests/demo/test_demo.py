"""Demo data: refused on production instances, and a warning on every signed-in page while an
account still has the published demo password."""

import pytest
from sqlalchemy import select

from inspector import create_app
from inspector.demo import DEMO_PASSWORD
from inspector.demo import passwords as demo_passwords
from inspector.extensions import db
from inspector.models import Department, User
from tests.conftest import TEST_CONFIG

WARNING = {"zh": "仍在使用公开的演示密码", "en": "still have the published demo password"}


def one_line_refusal(result):
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "demo" in result.stderr


@pytest.mark.parametrize("setting", [{"ENV": "production"}, {"HTTPS": True}])
@pytest.mark.parametrize("args", [["seed-demo"], ["seed-demo", "--if-empty"]])
def test_seed_demo_refuses_on_a_production_instance(app, runner, setting, args):
    app.config.update(setting)
    one_line_refusal(runner.invoke(args=args))
    assert db.session.scalar(select(User.id)) is None
    assert db.session.scalar(select(Department.id)) is None


def test_inspector_env_production_is_read_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("INSPECTOR_ENV", "production")
    production = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"]})
    assert production.config["ENV"] == "production" and app.config["ENV"] == "development"
    with production.app_context():
        one_line_refusal(production.test_cli_runner().invoke(args=["seed-demo", "--if-empty"]))
        db.engine.dispose()


def sign_in(client, username, password=DEMO_PASSWORD, language="zh"):
    client.post("/language", data={"locale": language, "next": "/login"})
    answer = client.post("/login", data={"username": username, "password": password})
    assert answer.status_code == 303


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_signed_in_page_warns_while_a_demo_password_is_in_use(client, demo, language):
    assert WARNING[language] not in client.get("/login").text  # nothing to strangers
    sign_in(client, "lead-finance", language=language)
    for path in ("/", "/account", "/field/", "/findings/", "/scores/", "/account/tokens"):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200 and WARNING[language] in page.text, path


def test_the_warning_goes_when_the_last_demo_password_is_changed(client, demo):
    users = db.session.scalars(select(User).where(User.username != "inspector")).all()
    for user in users:
        user.set_password("a-real-password-now")
    db.session.commit()
    sign_in(client, "inspector")
    assert WARNING["zh"] in client.get("/").text  # inspector still has it
    changed = client.post(
        "/account",
        data={"current": DEMO_PASSWORD, "password": "mine-alone-now", "confirm": "mine-alone-now"},
    )
    assert changed.status_code == 303
    assert WARNING["zh"] not in client.get("/").text


def test_an_inactive_demo_account_is_no_danger(client, demo):
    for user in db.session.scalars(select(User).where(User.username != "admin")):
        user.active = False
    db.session.commit()
    sign_in(client, "admin")
    assert WARNING["zh"] in client.get("/").text
    client.post(
        "/account",
        data={
            "current": DEMO_PASSWORD,
            "password": "a-real-secret-now",
            "confirm": "a-real-secret-now",
        },
    )
    assert WARNING["zh"] not in client.get("/").text


def test_the_check_hashes_no_password_and_trusts_a_no_for_a_minute(client, demo, monkeypatch):
    sign_in(client, "supervisor")
    hashed = []
    monkeypatch.setattr(
        "inspector.models.accounts.check_password_hash", lambda *a: hashed.append(a) or False
    )
    assert WARNING["zh"] in client.get("/").text and hashed == []  # two columns compared
    for user in db.session.scalars(select(User)):
        user.demo_password_hash = None
    db.session.commit()
    assert WARNING["zh"] not in client.get("/").text
    clock = [demo_passwords.time.monotonic()]
    monkeypatch.setattr(demo_passwords.time, "monotonic", lambda: clock[0])
    user = db.session.scalar(select(User).where(User.username == "supervisor"))
    user.demo_password_hash = user.password_hash  # another process seeded again
    db.session.commit()
    assert WARNING["zh"] not in client.get("/").text  # "no" is trusted for a while...
    clock[0] += demo_passwords.TRUST_NO_FOR + 1
    assert WARNING["zh"] in client.get("/").text  # ...then asked again
