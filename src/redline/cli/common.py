"""Options shared by every command (`--db`) and settings built from them."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.settings import DEFAULT_DB_URL, Settings

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="REDLINE_DB", help="Database URL: sqlite:///redline.db or postgresql://user@host/db"),
]
DEFAULT_DB = DEFAULT_DB_URL


def settings_for(db: str, **extra: object) -> Settings:
    """Settings for one CLI invocation: environment first, then the flags given."""
    return Settings.from_env(db_url=db, **extra)
