from __future__ import annotations

import pytest
from sqlalchemy import Engine

from redline.errors import AccessDenied, ConfigError
from redline.review.accounts import (
    ROLE_PERMS,
    Actor,
    Perm,
    Role,
    add_account,
    authenticate,
    ensure_demo_accounts,
)
from redline.store.tables.accounts import Account

READ_ONLY = {Perm.VIEW_ALERTS, Perm.VIEW_CASES, Perm.VIEW_DASHBOARD, Perm.VIEW_PACKS, Perm.VIEW_AUDIT}


def test_passwords_are_argon2_and_authenticate(sqlite_store: Engine) -> None:
    add_account(sqlite_store, "ana", "analyst", "correct horse")
    from sqlalchemy.orm import Session

    with Session(sqlite_store) as session:
        stored = session.query(Account).filter_by(username="ana").one().password_hash
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert authenticate(sqlite_store, "ana", "correct horse") == Actor("ana", Role.ANALYST)
    assert authenticate(sqlite_store, "ana", "wrong horse") is None
    assert authenticate(sqlite_store, "nobody", "correct horse") is None


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [("ana", "boss", "long enough", "unknown role"), ("a b", "analyst", "long enough", "bad username"),
     ("ana", "analyst", "short", "too short")],
    ids=["role", "username", "password"],
)
def test_bad_accounts_are_refused(sqlite_store: Engine, username: str, role: str, password: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        add_account(sqlite_store, username, role, password)


def test_duplicate_username_is_refused(sqlite_store: Engine) -> None:
    add_account(sqlite_store, "ana", "analyst", "long enough")
    with pytest.raises(ConfigError, match="already exists"):
        add_account(sqlite_store, "ana", "admin", "long enough")


def test_auditor_may_change_nothing_and_only_investigators_reveal() -> None:
    assert ROLE_PERMS[Role.AUDITOR] <= READ_ONLY
    assert [r for r in Role if Perm.REVEAL in ROLE_PERMS[r]] == [Role.INVESTIGATOR]
    with pytest.raises(AccessDenied):
        Actor("aud", Role.AUDITOR).require(Perm.DECIDE)


def test_demo_accounts_log_in_with_the_printed_passwords(sqlite_store: Engine) -> None:
    first = ensure_demo_accounts(sqlite_store)
    assert sorted(role for _, role, _ in first) == sorted(r.value for r in Role)
    again = ensure_demo_accounts(sqlite_store)  # reset: what is printed is always true
    # argon2 is slow on purpose: check two accounts, not all five
    for username, role, password in again[:2]:
        assert authenticate(sqlite_store, username, password) == Actor(username, Role(role))
    assert authenticate(sqlite_store, first[0][0], first[0][2]) is None
