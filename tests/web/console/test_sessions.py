"""Issue 15 item 4: a session lives on the server. Logout, a password change and an admin
disabling the account end it at once; an idle session ends after the configured minutes.

Each test keeps the cookie a browser (or an attacker who copied it) saved before the act and
replays it afterwards in a fresh client."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from redline.settings import Settings
from redline.store.tables.sessions import ConsoleSession
from redline.web.console.app import create_console_app
from redline.web.console.deps import SESSION_COOKIE

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

Login = Callable[[str], tuple[TestClient, str]]


def _replay(app: Any, cookie: str) -> TestClient:
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, cookie)
    return client


def _still_works(client: TestClient, csrf: str) -> bool:
    me = client.get("/api/me")
    decided = client.post("/api/alerts/1/decision", json={"action": "tag", "value": "replayed"},
                          headers={"X-CSRF-Token": csrf})
    assert me.status_code in (200, 401)
    assert (me.status_code == 200) == (decided.status_code == 200), (me.text, decided.text)
    return me.status_code == 200


def test_logout_ends_the_session(console_app: Any, login: Login) -> None:
    client, csrf = login("analyst")
    saved = client.cookies[SESSION_COOKIE]
    assert _still_works(_replay(console_app, saved), csrf)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert not _still_works(_replay(console_app, saved), csrf)


def test_api_logout_ends_the_session(console_app: Any, login: Login) -> None:
    client, csrf = login("analyst")
    saved = client.cookies[SESSION_COOKIE]
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert not _still_works(_replay(console_app, saved), csrf)


def test_a_password_change_ends_every_other_session(console_app: Any, login: Login,
                                                    console_db: tuple[str, Engine, dict[str, str]]) -> None:
    other, other_csrf = login("analyst")  # the same account logged in elsewhere (or stolen)
    client, csrf = login("analyst")
    old = console_db[2]["analyst"]
    wrong = client.post("/api/me/password", json={"current": "not-the-password", "new": "a-new-passphrase"},
                        headers={"X-CSRF-Token": csrf})
    assert wrong.status_code == 400
    assert _still_works(other, other_csrf)
    changed = client.post("/api/me/password", json={"current": old, "new": "a-new-passphrase"},
                          headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 200, changed.text
    assert not _still_works(other, other_csrf)
    # the session that changed the password goes on with the new token it was given
    assert _still_works(client, changed.json()["csrf_token"])
    fresh = TestClient(console_app)
    assert fresh.post("/api/login", json={"username": "analyst", "password": old}).status_code == 400
    assert fresh.post("/api/login", json={"username": "analyst", "password": "a-new-passphrase"}).status_code == 200


@pytest.mark.parametrize("way", ["form", "cli"])
def test_disabling_an_account_ends_its_sessions(console_app: Any, login: Login, way: str,
                                                console_db: tuple[str, Engine, dict[str, str]]) -> None:
    victim, csrf = login("analyst")
    assert _still_works(victim, csrf)
    if way == "form":
        admin, admin_csrf = login("admin")
        done = admin.post("/accounts/analyst/active", data={"csrf_token": admin_csrf, "active": "0"},
                          follow_redirects=False)
        assert done.status_code == 303
    else:
        from redline.cli import main

        main(["users", "disable", "analyst", "--db", console_db[0]])
    assert not _still_works(victim, csrf)
    assert TestClient(console_app).post("/api/login", json={
        "username": "analyst", "password": console_db[2]["analyst"]}).status_code == 400


@pytest.mark.parametrize(("idle_minutes", "away", "alive"), [(30, 29, True), (30, 31, False), (5, 6, False)])
def test_idle_sessions_end(console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path,
                           idle_minutes: int, away: int, alive: bool) -> None:
    url, engine, passwords = console_db
    app = create_console_app(Settings(db_url=url, session_idle_minutes=idle_minutes), engine)
    client = TestClient(app)
    csrf = client.post("/api/login", json={"username": "analyst", "password": passwords["analyst"]}).json()["csrf_token"]
    with engine.begin() as conn:  # the reviewer went to lunch
        conn.execute(update(ConsoleSession).values(last_seen=datetime.now(UTC) - timedelta(minutes=away)))
    assert _still_works(client, csrf) is alive


def test_a_session_ends_after_a_working_day_however_busy(console_app: Any, login: Login,
                                                         console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client, csrf = login("analyst")
    with console_db[1].begin() as conn:
        conn.execute(update(ConsoleSession).values(created_at=datetime.now(UTC) - timedelta(hours=8, minutes=1)))
    assert not _still_works(client, csrf)


def test_the_database_holds_no_usable_session_token(console_app: Any, login: Login,
                                                    console_db: tuple[str, Engine, dict[str, str]]) -> None:
    """Someone who can read the database cannot take over a session from what is stored."""
    client, _ = login("analyst")
    cookie = client.cookies[SESSION_COOKIE]
    with console_db[1].connect() as conn:
        stored = [str(v) for row in conn.execute(ConsoleSession.__table__.select()) for v in row]
    assert stored
    assert not any(cookie in v or (len(v) > 20 and v in cookie) for v in stored)
