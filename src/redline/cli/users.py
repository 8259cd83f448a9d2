"""`redline users add|list|passwd|disable|enable`: console accounts from the command line (passwords on stdin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, audited_store, settings_for
from redline.errors import ConfigError


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    users = typer.Typer(help="Console accounts: add, list, change a password, disable, enable.", no_args_is_help=True)
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

        if not password_stdin:
            raise ConfigError("give the password on stdin with --password-stdin")
        password = sys.stdin.readline().rstrip("\r\n")
        engine = audited_store(db)
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

    @users.command("passwd")
    def passwd(
        username: Annotated[str, typer.Argument(help="Login name")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Set a new password; every console session of the account ends at once."""
        from redline.review import audit_log
        from redline.review.accounts import set_password

        if not password_stdin:
            raise ConfigError("give the password on stdin with --password-stdin")
        engine = audited_store(db)
        set_password(engine, username, sys.stdin.readline().rstrip("\r\n"))
        audit_log.record(engine, "cli", "admin", "account.password", f"account:{username}", {})
        print(f"new password for {username}; their sessions have ended")

    def _set_active(username: str, db: str, active: bool) -> None:
        from redline.review import audit_log
        from redline.review.accounts import set_active

        engine = audited_store(db)
        set_active(engine, username, active)
        audit_log.record(engine, "cli", "admin", "account.enable" if active else "account.disable",
                         f"account:{username}", {})
        print(f"{username} {'enabled' if active else 'disabled; their sessions have ended'}")

    @users.command("disable")
    def disable(username: Annotated[str, typer.Argument(help="Login name")], db: DbOption = DEFAULT_DB) -> None:
        """Disable an account: it cannot log in, and its open sessions end at once."""
        _set_active(username, db, False)

    @users.command("enable")
    def enable(username: Annotated[str, typer.Argument(help="Login name")], db: DbOption = DEFAULT_DB) -> None:
        """Enable a disabled account again."""
        _set_active(username, db, True)
