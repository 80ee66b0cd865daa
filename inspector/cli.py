"""The `flask --app inspector` commands of the contract (db upgrade comes from Flask-Migrate)."""

import os
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from inspector import demo
from inspector.auth import accounts, tokens
from inspector.clock import local_now
from inspector.demo import passwords as demo_passwords
from inspector.documents.archive import write_archive
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.maintenance import MaintenanceError
from inspector.maintenance.backup import backup
from inspector.maintenance.restore import is_at_head, restore
from inspector.maintenance.sweep import sweep
from inspector.models import ApiToken, Role, User
from inspector.models.accounts import normalize_username
from inspector.periods import parse_period
from inspector.worker import worker_command


def read_password(from_stdin):
    if from_stdin:
        return sys.stdin.read().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True, help="admin, supervisor, inspector or lead.")
@click.option("--department", "department_code", help="Department code (required for lead).")
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(username, role, department_code, display_name, password_stdin):
    """Create a user with a role."""
    # Checked here rather than by click.Choice so the error stays on one line.
    if role not in set(Role):
        raise click.ClickException(f"role: must be one of {', '.join(Role)}, not {role!r}.")
    password = read_password(password_stdin)
    try:
        accounts.create_user(None, username, password, role, department_code, display_name)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(
            "; ".join(f"{field}: {message}" for field, message in error.fields.items())
        ) from None
    db.session.commit()
    click.echo(f"Created {role} {username}.", err=True)


def user_named(username):
    """The user called USERNAME (as sign-in reads it), or a one-line error."""
    user = db.session.scalar(select(User).where(User.username_key == normalize_username(username)))
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


def is_number(text):
    # ASCII digits only, and small enough for any database's integer.
    return text.isascii() and text.isdigit() and len(text) < 10


def whole_days(text):
    """--days as a number of days, or a one-line error (click's own would print the usage)."""
    if text is None:
        return None
    if not is_number(text) or not 1 <= int(text) <= tokens.MAX_DAYS:
        raise click.ClickException(f"--days: a whole number from 1 to {tokens.MAX_DAYS}.")
    return int(text)


@click.command("create-token")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
@click.option("--days", help="Days until the token expires (default: never).")
def create_token_command(username, label, days):
    """Print a new API token for USERNAME (only its hash is stored)."""
    user = user_named(username)
    token = tokens.create_token(None, user, label, whole_days(days))
    db.session.commit()
    click.echo(token)


def when(moment, none="never"):
    return moment.strftime("%Y-%m-%dT%H:%MZ") if moment else none


@click.command("list-tokens")
@click.argument("username")
def list_tokens_command(username):
    """List USERNAME's tokens: id, label, created, last used, expiry (tab-separated)."""
    for token in tokens.tokens_of(user_named(username)):
        fields = [token.id, token.label or "-", when(token.created_at)]
        fields += [when(token.last_used_at), when(token.expires_at)]
        click.echo("\t".join(str(field) for field in fields))


@click.command("revoke-token")
@click.argument("ident", metavar="ID")
def revoke_token_command(ident):
    """Revoke the token with this ID (list-tokens shows it): it stops working at once."""
    token = db.session.get(ApiToken, int(ident)) if is_number(ident) else None
    if token is None:
        raise click.ClickException(f"No token with id {ident!r}.")
    already = token.revoked_at is not None
    tokens.revoke_token(None, token)
    db.session.commit()
    click.echo(
        f"Token {token.id} ({token.user.username}) {'was already' if already else 'is'} revoked.",
        err=True,
    )


class Refused(click.ClickException):
    """A command that must not run on this instance (exit 3, so `make run` can go on)."""

    exit_code = 3


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no users.")
def seed_demo_command(if_empty):
    """Fill the database with demo data from the domain (safe to run again)."""
    refusal = demo.refusal(current_app.config)
    if refusal:
        raise Refused(refusal)
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; demo data not added.")
        return
    made = demo.seed()
    db.session.commit()
    demo_passwords.forget()
    if made:
        click.echo(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for user in made:
            where = f" ({user.department.code})" if user.department else ""
            click.echo(f"  {user.username:<16} {user.role}{where}")
        click.echo("Change these passwords before real use.")
    else:
        click.echo("Demo data already present; nothing added.")


@click.command("sweep-orphans")
@click.option(
    "--grace-hours",
    type=click.FloatRange(min=0),
    default=24,
    show_default=True,
    help="Leave younger files alone: uploads write their files before their rows commit.",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def sweep_orphans_command(grace_hours, dry_run):
    """Delete stored photo files that no photo refers to, and interrupted writes."""
    storage = current_app.extensions["inspector.storage"]
    swept = sweep(storage, timedelta(hours=grace_hours), datetime.now(UTC), dry_run=dry_run)
    found = Counter()
    verb = "would delete" if dry_run else "deleted"
    try:
        for item in swept:
            click.echo(f"{verb} {item.kind} {item.key} (modified {item.modified:%Y-%m-%d %H:%M}Z)")
            found[item.kind] += 1
    except MaintenanceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{verb.capitalize()} {plural(found['orphan'], 'orphaned file')} and "
        f"{plural(found['temp'], 'temporary file')}."
    )


@click.command("rebuild-score-totals")
def rebuild_score_totals_command():
    """Recompute the running score totals from every inspection (after changing TIMEZONE, or
    after loading data with raw SQL)."""
    from inspector.scores.cache import ALL_DEPARTMENTS, touch_departments
    from inspector.scores.totals import rebuild

    rebuild(db.session.connection(), current_app.config["TIMEZONE"])
    # Every server's cached sheets and kept rows are read again.
    touch_departments(db.session, {ALL_DEPARTMENTS})
    db.session.commit()
    click.echo("Rebuilt the score totals.")


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
def backup_command(dest):
    """Back up the SQLite database and the photo files into the folder DEST."""
    try:
        manifest = backup(dest)
    except MaintenanceError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Backed up {rows} rows and {manifest['photo_files']} photo files to {dest} "
        f"(schema {manifest['schema_revision']})."
    )


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False))
def restore_command(src):
    """Restore a backup from the folder SRC into this empty instance."""
    try:
        manifest = restore(src)
    except MaintenanceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored the backup of {manifest['created_at']}: "
        f"{manifest['photo_files']} photo files, schema {manifest['schema_revision']}."
    )
    if not is_at_head(manifest["schema_revision"]):
        click.echo("Run `flask --app inspector db upgrade` to bring the schema up to date.")


@click.command("archive")
@click.argument("period")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="ZIP file.")
@click.option("--as", "username", required=True, help="A supervisor or admin: whose view.")
@click.option("--language", default=None, help="zh or en (default: BABEL_DEFAULT_LOCALE).")
def archive_command(period, output, username, language):
    """Write the evidence archive (ZIP) of PERIOD: 2026, 2026-Q4 or 2026-01-01..2026-06-30."""
    try:
        span = parse_period(period)
    except ValueError:
        raise click.ClickException(f"Not a period: {period!r}.") from None
    user = user_named(username)
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise click.ClickException(f"{username} is not a supervisor or admin.")
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    if language not in current_app.config["LANGUAGES"]:
        raise click.ClickException(
            f"language: one of {', '.join(current_app.config['LANGUAGES'])}."
        )
    partial = output + ".part"  # the finished name appears only once the archive is whole
    with force_locale(language):
        count = write_archive(partial, user, span.first, span.last, local_now().date())
    os.replace(partial, output)
    click.echo(f"Wrote {plural(count, 'document')} to {output}.")


commands = [
    create_user_command,
    create_token_command,
    list_tokens_command,
    revoke_token_command,
    seed_demo_command,
    sweep_orphans_command,
    rebuild_score_totals_command,
    backup_command,
    restore_command,
    archive_command,
    worker_command,
]
