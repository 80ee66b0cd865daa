"""The `flask --app inspector` commands of the contract (db upgrade comes from Flask-Migrate)."""

import sys

import click
from sqlalchemy import select

from inspector import accounts, demo
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.models import Role, User


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


@click.command("create-token")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
def create_token_command(username, label):
    """Print a new API token for USERNAME (only its hash is stored)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    token = accounts.create_token(None, user, label)
    db.session.commit()
    click.echo(token)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no users.")
def seed_demo_command(if_empty):
    """Fill the database with demo data from the domain (safe to run again)."""
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; demo data not added.")
        return
    made = demo.seed()
    db.session.commit()
    if made:
        click.echo(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for user in made:
            where = f" ({user.department.code})" if user.department else ""
            click.echo(f"  {user.username:<16} {user.role}{where}")
    else:
        click.echo("Demo data already present; nothing added.")


commands = [create_user_command, create_token_command, seed_demo_command]
