"""The console's secret keys, kept in the database so sessions and pseudonyms survive restarts."""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.store.tables.accounts import ConsoleKey


def console_key(engine: Engine, name: str) -> bytes:
    """The key called `name` (e.g. 'session', 'pseudonym'), created at random on first use."""
    with Session(engine) as session:
        value = session.scalar(select(ConsoleKey.value).where(ConsoleKey.name == name))
    if value is None:
        try:
            with Session(engine) as session, session.begin():
                session.add(ConsoleKey(name=name, value=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another process created it first; read theirs below
        with Session(engine) as session:
            value = session.scalar(select(ConsoleKey.value).where(ConsoleKey.name == name))
    if value is None:  # pragma: no cover - the insert above either succeeded or lost a race
        raise RuntimeError(f"console key {name!r} could not be created")
    return bytes.fromhex(value)
