"""The contract's command line: create-user, create-token, seed-demo, db upgrade."""

import subprocess
import sys

import pytest

from inspector.auth import tokens
from inspector.extensions import db
from inspector.models import (
    ApiToken,
    Campaign,
    Department,
    Finding,
    Inspection,
    Photo,
    Role,
    Site,
    SiteKind,
    User,
)
from tests import factories


def test_create_user_reads_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-user", "wang", "--role", "inspector", "--password-stdin"],
        input="a-long-enough-pass\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(username="wang").one()
    assert user.role == Role.INSPECTOR and user.check_password("a-long-enough-pass")


def test_create_lead_with_department(runner):
    factories.new_department(code="finance")
    result = runner.invoke(
        args=["create-user", "li", "--role", "lead", "--department", "finance", "--password-stdin"],
        input="a-long-enough-pass",
    )
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(username="li").one().department.code == "finance"


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["dup", "--role", "inspector"], "a-long-enough-pass", "already taken"),
        (["new1", "--role", "lead"], "a-long-enough-pass", "needs a department"),
        (
            ["new2", "--role", "lead", "--department", "nowhere"],
            "a-long-enough-pass",
            "Unknown department",
        ),
        (["new3", "--role", "inspector"], "short", "at least 12"),
        (["new4", "--role", "inspector"], "new4-new4-new4", "must not contain the username"),
        (["new5", "--role", "inspector"], "aaaaaaaaaaaa", "too easy"),
        (["new6", "--role", "emperor"], "a-long-enough-pass", "must be one of"),
        (["DUP", "--role", "inspector"], "a-long-enough-pass", "already taken"),
        (["ｄｕｐ", "--role", "inspector"], "a-long-enough-pass", "already taken"),
        (["new\u200b7", "--role", "inspector"], "a-long-enough-pass", "without spaces"),
    ],
)
def test_create_user_errors_are_one_line_and_nonzero(runner, args, password, message):
    factories.new_user(username="dup")
    result = runner.invoke(args=["create-user", *args, "--password-stdin"], input=password)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_create_token_prints_only_the_token(runner):
    user = factories.new_user(username="phone")
    result = runner.invoke(args=["create-token", "phone", "--label", "李的手机"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert result.output == token + "\n" and token.startswith("insp_")
    assert tokens.caller_for_token(token).id == user.id
    assert db.session.query(ApiToken).one().label == "李的手机"


def test_create_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "ghost"])
    assert result.exit_code != 0 and "ghost" in result.output


def test_seed_demo_is_idempotent_and_drawn_from_the_domain(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "admin" in first.output
    counts = (
        db.session.query(Department).count(),
        db.session.query(Site).count(),
        db.session.query(User).count(),
    )
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert counts == (
        db.session.query(Department).count(),
        db.session.query(Site).count(),
        db.session.query(User).count(),
    )
    inspections = db.session.query(Inspection).all()
    assert len(inspections) >= 30 and {i.status for i in inspections} >= {"approved", "submitted"}
    assert db.session.query(Photo).count() > 0 and db.session.query(Finding).count() > 0
    campaign = db.session.query(Campaign).one()
    assert {spot.status for spot in campaign.spots} == {"open", "fixed", "closed"}
    communities = db.session.query(Site).filter_by(kind=SiteKind.RESIDENTIAL).all()
    assert len(communities) == 11 and all("桂花镇" in site.name for site in communities)
    assert {user.role for user in db.session.query(User)} == set(Role)


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner):
    factories.new_user(username="someone")
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.query(Department).count() == 0


def test_db_upgrade_from_empty_to_head_through_the_real_cli(tmp_path):
    """Migrate a fresh instance to head (matching the models), back to empty, and up again."""
    env = {"INSPECTOR_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    flask = [sys.executable, "-m", "flask", "--app", "inspector"]
    steps = (
        ["db", "upgrade"],
        ["db", "check"],
        ["db", "downgrade", "base"],
        ["db", "upgrade"],
        ["seed-demo"],
    )
    for args in steps:
        done = subprocess.run(
            [*flask, *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "inspector.sqlite3").exists()
