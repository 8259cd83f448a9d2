"""Console sessions on the server: started at login, looked up on every request, ended by
logout, by a password change, by an admin disabling the account, or by idling.

The cookie holds a random token; the table holds its SHA-256, the username and the CSRF
token. A request's session is valid only while its row exists, the account is active, the
last request was less than `idle` ago and the login less than `SESSION_MAX_AGE` ago.
`last_seen` is written at most once a minute, so reading pages does not mean a write each.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy.orm import Session

from redline.store.tables.accounts import Account
from redline.store.tables.sessions import ConsoleSession

SESSION_MAX_AGE: Final = timedelta(hours=8)  # a working day, however busy
DEFAULT_IDLE: Final = timedelta(minutes=30)
TOUCH_EVERY: Final = timedelta(minutes=1)
_LOOKUP: Final = (
    select(ConsoleSession.username, ConsoleSession.csrf, ConsoleSession.created_at, ConsoleSession.last_seen,
           Account.role, Account.active)
    .join(Account, Account.username == ConsoleSession.username)
    .where(ConsoleSession.id == bindparam("key"))
)


@dataclass(frozen=True, slots=True)
class Live:
    """A valid session: whose, with which role now, and its CSRF token."""

    token: str
    username: str
    role: str
    csrf: str


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite drops the offset


def start(engine: Engine, username: str) -> tuple[str, str]:
    """A new session for `username`: (token for the cookie, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        session.add(ConsoleSession(id=_key(token), username=username, csrf=csrf, created_at=now, last_seen=now))
        # sessions that ended by age or idling are removed by the next login of anyone
        session.execute(delete(ConsoleSession).where(ConsoleSession.created_at < now - SESSION_MAX_AGE))
    return token, csrf


def resolve(engine: Engine, token: str | None, idle: timedelta = DEFAULT_IDLE) -> Live | None:
    """The live session of `token`, or None (unknown, ended, idle too long, too old, account off)."""
    if not token or len(token) > 200:
        return None
    key, now = _key(token), datetime.now(UTC)
    with engine.connect() as conn:  # Core, not an ORM session: this runs on every request
        row = conn.execute(_LOOKUP, {"key": key}).first()
    if row is None:
        return None
    username, csrf, created, seen, role, active = row
    created, seen = _aware(created), _aware(seen)
    if not active:
        end(engine, token)
        return None
    if now - created > SESSION_MAX_AGE or now - seen > idle:
        # lapsed: refused, but the row stays (until the next login purges old ones) so that a
        # form posted into it can be kept for its owner (`lapsed_owner`, review.kept_forms)
        return None
    if now - seen > TOUCH_EVERY:
        with engine.begin() as conn:
            conn.execute(update(ConsoleSession).where(ConsoleSession.id == key).values(last_seen=now))
    return Live(token, str(username), str(role), str(csrf))


def lapsed_owner(engine: Engine, token: str | None) -> str | None:
    """Whose session `token` was, when it ended by idling or age (not by logout, a password
    change or a disabled account: those delete the row). Only asked after `resolve` refused."""
    if not token or len(token) > 200:
        return None
    with engine.connect() as conn:
        row = conn.execute(_LOOKUP, {"key": _key(token)}).first()
    return str(row.username) if row is not None and row.active else None


def end(engine: Engine, token: str) -> None:
    """End one session (logout)."""
    with engine.begin() as conn:
        conn.execute(delete(ConsoleSession).where(ConsoleSession.id == _key(token)))


def end_all(engine: Engine, username: str, *, keep: str | None = None) -> int:
    """End every session of `username` but `keep` (a token); returns how many ended."""
    query = delete(ConsoleSession).where(ConsoleSession.username == username)
    if keep is not None:
        query = query.where(ConsoleSession.id != _key(keep))
    with engine.begin() as conn:
        return int(conn.execute(query).rowcount or 0)


def rotate_csrf(engine: Engine, token: str) -> str:
    """A new CSRF token for a session (after a password change: the old one may have leaked)."""
    csrf = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        conn.execute(update(ConsoleSession).where(ConsoleSession.id == _key(token)).values(csrf=csrf))
    return csrf
