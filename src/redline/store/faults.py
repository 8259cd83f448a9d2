"""Database errors by kind: whose fault it is decides the error class (and the HTTP status).

* the schema is missing or old (no such table / column)  → ServerFault: run the migrations
* the server cannot be reached, is locked, out of disk   → ServerFault(unavailable): 503, try again
* the data does not fit (value too large, constraint)    → InputError: 400, the caller's input
* anything else                                          → ServerFault: 500

Before this, every database error was "is the database migrated?" and HTTP 400.
"""

from __future__ import annotations

import sqlite3
from typing import Final

import psycopg
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)

from redline.errors import InputError, RedlineError, ServerFault, SourceLocation

_SCHEMA: Final = ("no such table", "no such column", "undefinedtable", "undefinedcolumn", "does not exist")
_UNAVAILABLE: Final = ("database is locked", "connection refused", "could not connect", "server closed",
                       "terminating connection", "disk i/o error", "database or disk is full", "no space left",
                       "connection timeout", "the database system is starting up", "the database system is shutting")
DB_ERRORS: Final = (SQLAlchemyError, sqlite3.Error, psycopg.Error)


def classify(exc: BaseException, doing: str, where: SourceLocation | None = None) -> RedlineError:
    """The Redline error for a database error raised while `doing` (e.g. "save findings")."""
    text = f"{type(getattr(exc, 'orig', None) or exc).__name__} {exc}".lower()
    if any(mark in text for mark in _SCHEMA):
        return ServerFault(f"cannot {doing}: the database schema is missing or old (run `redline load` or "
                           f"`redline serve` once to migrate it): {exc}", where)
    if any(mark in text for mark in _UNAVAILABLE):
        return ServerFault(f"cannot {doing}: the database is unavailable, try again: {exc}", where, unavailable=True)
    if isinstance(exc, DataError | IntegrityError | sqlite3.IntegrityError | sqlite3.DataError | psycopg.DataError |
                  psycopg.IntegrityError):
        return InputError(f"cannot {doing}: the data does not fit the database: {exc}", where)
    if isinstance(exc, OperationalError | ProgrammingError | psycopg.OperationalError | sqlite3.OperationalError):
        return ServerFault(f"cannot {doing}: {exc}", where)
    return ServerFault(f"cannot {doing}: {exc}", where)
