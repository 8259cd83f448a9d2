"""`redline users add|list`: console accounts from the command line (password on stdin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for
from redline.errors import ConfigError


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    users = typer.Typer(help="Console accounts: add and list.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("add")
    def add(
        username: Annotated[str, typer.Argument(help="Login name")],
        role: Annotated[str, typer.Option(help="admin, analyst, investigator, auditor or intake")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Add an account; the password is read from stdin (never a command-line argument)."""
        from redline.review import audit_log
        from redline.review.accounts import add_account
        from redline.store.db import migrate

        if not password_stdin:
            raise ConfigError("give the password on stdin with --password-stdin")
        password = sys.stdin.readline().rstrip("\r\n")
        engine = migrate(settings_for(db).db_url)
        add_account(engine, username, role, password)
        audit_log.record(engine, "cli", "admin", "account.add", f"account:{username}", {"role": role})
        print(f"added {username} ({role})")

    @users.command("list")
    def list_(db: DbOption = DEFAULT_DB) -> None:
        """List accounts."""
        from redline.review.accounts import list_accounts
        from redline.store.db import migrate

        for username, role, active in list_accounts(migrate(settings_for(db).db_url)):
            print(f"{username}\t{role}\t{'active' if active else 'disabled'}")
