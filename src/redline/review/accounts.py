"""Accounts and roles: argon2 password hashes, what each role may do, demo accounts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError
from redline.review import sessions
from redline.store.tables.accounts import Account

_HASHER: Final = PasswordHasher()
# hashed once so that an unknown user costs as much time as a wrong password
_DUMMY_HASH: Final = _HASHER.hash("redline-dummy-password")


class Role(StrEnum):
    """The console's roles."""

    ADMIN = "admin"
    ANALYST = "analyst"  # 纪检监察干部 working the alert queue
    INVESTIGATOR = "investigator"
    AUDITOR = "auditor"
    INTAKE = "intake"  # 信访举报 intake officer (portal); little to do in the console


class Perm(StrEnum):
    """Things a role may do; the web layer and the domain functions both check them."""

    VIEW_ALERTS = "view_alerts"
    DECIDE = "decide"  # dismiss, tag, assign, escalate alerts
    VIEW_CASES = "view_cases"
    WORK_CASES = "work_cases"  # status, disposition, notes
    REVEAL = "reveal"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_PACKS = "view_packs"
    EDIT_PACKS = "edit_packs"
    IMPORT = "import"
    MANAGE_ACCOUNTS = "manage_accounts"


_READ = {Perm.VIEW_ALERTS, Perm.VIEW_CASES, Perm.VIEW_DASHBOARD, Perm.VIEW_PACKS}
ROLE_PERMS: Final[Mapping[Role, frozenset[Perm]]] = {
    Role.ADMIN: frozenset(_READ | {Perm.EDIT_PACKS, Perm.IMPORT, Perm.MANAGE_ACCOUNTS, Perm.VIEW_AUDIT}),
    Role.ANALYST: frozenset(_READ | {Perm.DECIDE}),
    Role.INVESTIGATOR: frozenset(_READ | {Perm.DECIDE, Perm.WORK_CASES, Perm.REVEAL, Perm.EXPORT}),
    # the auditor reads everything and changes nothing
    Role.AUDITOR: frozenset(_READ | {Perm.VIEW_AUDIT}),
    Role.INTAKE: frozenset({Perm.VIEW_DASHBOARD}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a logged-in account (or the CLI operator)."""

    username: str
    role: Role

    def can(self, perm: Perm) -> bool:
        return perm in ROLE_PERMS[self.role]

    def require(self, perm: Perm) -> None:
        """Raise AccessDenied unless this actor's role has `perm`."""
        if not self.can(perm):
            raise AccessDenied(f"role {self.role} may not {perm}")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _HASHER.hash(password)


def add_account(engine: Engine, username: str, role: str, password: str) -> Account:
    """Create an account; the username must be new and the password at least 8 characters."""
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise ConfigError(f"unknown role {role!r}; one of {', '.join(r.value for r in Role)}") from exc
    if not username or len(username) > 64 or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ConfigError(f"bad username {username!r}: letters, digits, '-', '_' and '.' only")
    if len(password) < 8:
        raise ConfigError("password too short: at least 8 characters")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if session.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise ConfigError(f"account {username!r} already exists")
        account = Account(
            username=username, role=role_value.value, password_hash=hash_password(password),
            active=True, created_at=datetime.now(UTC),
        )
        session.add(account)
    return account


def set_password(engine: Engine, username: str, password: str, *, keep_session: str | None = None) -> None:
    """Replace an account's password and end its sessions (all but `keep_session`, a token)."""
    if len(password) < 8:
        raise ConfigError("password too short: at least 8 characters")
    with Session(engine) as session, session.begin():
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None:
            raise ConfigError(f"no account {username!r}")
        account.password_hash = hash_password(password)
    # whoever learnt the old password may be logged in with it: their sessions end now
    sessions.end_all(engine, username, keep=keep_session)


def change_password(engine: Engine, username: str, current: str, new: str, *, keep_session: str | None = None) -> None:
    """A user's own change: the current password must be right."""
    if authenticate(engine, username, current) is None:
        raise ConfigError("the current password is wrong")
    if new == current:
        raise ConfigError("the new password must differ from the current one")
    set_password(engine, username, new, keep_session=keep_session)


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    with Session(engine) as session, session.begin():
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None:
            raise ConfigError(f"no account {username!r}")
        account.active = active
    if not active:
        sessions.end_all(engine, username)


def authenticate(engine: Engine, username: str, password: str) -> Actor | None:
    """The actor if the username and password match an active account, else None."""
    with Session(engine) as session, session.begin():
        account = session.scalar(select(Account).where(Account.username == username))
        stored = account.password_hash if account is not None and account.active else _DUMMY_HASH
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if account is None or not account.active:
            return None
        if _HASHER.check_needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return Actor(account.username, Role(account.role))


def list_accounts(engine: Engine) -> list[tuple[str, str, bool]]:
    """(username, role, active) of every account, by username."""
    with Session(engine) as session:
        rows = session.execute(select(Account.username, Account.role, Account.active).order_by(Account.username))
        return [(u, r, bool(a)) for u, r, a in rows]


def ensure_demo_accounts(engine: Engine) -> list[tuple[str, str, str]]:
    """One account per role named after it (analyst, investigator, …) with a fresh password.

    Existing demo accounts get a new password, so that what is printed is always true.
    Returns (username, role, password) for printing by `redline demo` / `redline serve`.
    """
    created: list[tuple[str, str, str]] = []
    for role in Role:
        password = secrets.token_urlsafe(9)
        with Session(engine) as session:
            exists = session.scalar(select(Account.id).where(Account.username == role.value)) is not None
        if exists:
            set_password(engine, role.value, password)
        else:
            add_account(engine, role.value, role.value, password)
        created.append((role.value, role.value, password))
    return created
