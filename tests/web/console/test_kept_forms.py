"""Issue 16 item 8: work never lost. A reviewer whose session ended while typing posts the form,
logs in again and gets the form back filled in (a GET page, a fresh CSRF token), instead of a
405 and the text gone. Only they get it back; nothing secret is kept; nothing is sent for them."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from redline.store.tables.kept_forms import KeptForm
from redline.store.tables.review import Decision
from redline.store.tables.sessions import ConsoleSession

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REASON = "经核实为正常工作往来，红包已当场退还"


def _form_login(client: TestClient, username: str, password: str, follow: bool = False) -> Any:
    page = client.get("/login?next=/kept")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post("/login", data={"username": username, "password": password, "login_token": token.group(1),
                                       "next": "/kept"}, follow_redirects=follow)


def _lapse(engine: Engine) -> None:
    with engine.begin() as conn:  # the reviewer went to a meeting with the form half typed
        conn.execute(update(ConsoleSession).values(last_seen=datetime.now(UTC) - timedelta(minutes=31)))


def _expired_dismissal(console_app: Any, console_db: tuple[str, Engine, dict[str, str]]) -> tuple[TestClient, str, Any]:
    client = TestClient(console_app)
    _form_login(client, "analyst", console_db[2]["analyst"])
    page = client.get("/alerts/1")
    old_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert old_csrf is not None
    _lapse(console_db[1])
    posted = client.post("/alerts/1/decision", data={"csrf_token": old_csrf.group(1), "action": "dismiss",
                                                      "reason": REASON}, follow_redirects=False)
    return client, old_csrf.group(1), posted


def test_the_form_comes_back_after_logging_in(console_app: Any, console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client, old_csrf, posted = _expired_dismissal(console_app, console_db)
    assert posted.status_code == 303
    assert posted.headers["location"].startswith("/login")
    assert "kept" in posted.headers["location"]
    login_page = client.get(posted.headers["location"])
    assert "已保留" in login_page.text  # the login page says the typed text is kept
    logged_in = _form_login(client, "analyst", console_db[2]["analyst"])
    assert logged_in.headers["location"] == "/kept"
    kept = client.get("/kept")
    assert kept.status_code == 200  # not 405
    assert REASON in kept.text
    assert 'action="/alerts/1/decision"' in kept.text
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', kept.text)
    assert fresh is not None
    assert fresh.group(1) != old_csrf
    engine = console_db[1]
    with Session(engine) as session:  # nothing was decided for the reviewer: they confirm
        assert session.scalars(select(Decision).where(Decision.alert_id == 1, Decision.action == "dismiss")).all() == []
    sent = client.post("/alerts/1/decision", data={"csrf_token": fresh.group(1), "action": "dismiss", "reason": REASON})
    assert sent.status_code == 200
    with Session(engine) as session:
        assert [d.reason for d in session.scalars(select(Decision).where(Decision.alert_id == 1,
                                                                         Decision.action == "dismiss"))] == [REASON]


def test_the_old_token_cannot_send_the_kept_form(console_app: Any, console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client, old_csrf, _ = _expired_dismissal(console_app, console_db)
    _form_login(client, "analyst", console_db[2]["analyst"])
    replay = client.post("/alerts/1/decision", data={"csrf_token": old_csrf, "action": "dismiss", "reason": REASON})
    assert replay.status_code == 403


def test_someone_else_on_the_same_browser_gets_nothing(console_app: Any,
                                                       console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client, _, _ = _expired_dismissal(console_app, console_db)
    _form_login(client, "investigator", console_db[2]["investigator"])
    kept = client.get("/kept")
    assert REASON not in kept.text
    with Session(console_db[1]) as session:
        assert session.scalars(select(KeptForm)).all() == []  # dropped, not left for later


def test_what_is_kept_is_sealed_and_never_a_secret(console_app: Any,
                                                   console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client = TestClient(console_app)
    _form_login(client, "analyst", console_db[2]["analyst"])
    _lapse(console_db[1])
    client.post("/alerts/1/decision", data={"csrf_token": "x", "action": "note", "reason": REASON,
                                            "passphrase": "my secret passphrase"}, follow_redirects=False)
    with Session(console_db[1]) as session:
        (row,) = session.scalars(select(KeptForm))
        assert REASON.encode() not in row.sealed
        assert row.expires_at.replace(tzinfo=UTC) <= datetime.now(UTC) + timedelta(minutes=21)
    _form_login(client, "analyst", console_db[2]["analyst"])
    kept = client.get("/kept")
    assert REASON in kept.text
    assert "my secret passphrase" not in kept.text
    assert 'type="password" name="passphrase"' in kept.text  # asked again, never stored


@pytest.mark.parametrize("path", ["/api/alerts/1/decision"])
def test_api_clients_get_401_and_nothing_is_kept(console_app: Any, console_db: tuple[str, Engine, dict[str, str]],
                                                 path: str) -> None:
    client = TestClient(console_app)
    _form_login(client, "analyst", console_db[2]["analyst"])
    _lapse(console_db[1])
    assert client.post(path, json={"action": "dismiss", "reason": REASON}).status_code == 401
    with Session(console_db[1]) as session:
        assert session.scalars(select(KeptForm)).all() == []


def test_a_post_with_nothing_typed_returns_to_its_page(console_app: Any,
                                                       console_db: tuple[str, Engine, dict[str, str]]) -> None:
    client = TestClient(console_app)
    _form_login(client, "analyst", console_db[2]["analyst"])
    _lapse(console_db[1])
    posted = client.post("/logout", data={"csrf_token": "x"}, headers={"Referer": "http://testserver/alerts/1"},
                         follow_redirects=False)
    assert posted.headers["location"] == "/login?next=/alerts/1"  # a page, never the POST-only address
    elsewhere = client.post("/logout", data={"csrf_token": "x"}, headers={"Referer": "https://evil.example/x"},
                            follow_redirects=False)
    assert elsewhere.headers["location"] == "/login?next=/alerts"
