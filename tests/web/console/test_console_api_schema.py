"""schemathesis against the console's OpenAPI document: no request it can generate makes a 500.

Every operation is fuzzed with a logged-in analyst (the role of the alert queue) and with an
investigator (who may also reveal and export), each with a fresh session: a generated
POST /api/logout ends the session it is sent with. EXAMPLES keeps the run under two minutes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from redline.settings import Settings
from redline.store.db import make_engine
from redline.web.console.app import create_console_app

from fastapi.testclient import TestClient  # isort: skip


@pytest.fixture(scope="module")
def logged_in(console_template: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    template, passwords = console_template
    target = tmp_path_factory.mktemp("schema") / "console.db"
    shutil.copyfile(template, target)
    url = f"sqlite:///{target}"
    app = create_console_app(Settings(db_url=url), make_engine(url))
    # generated logins must not lock the investigator out of the rest of the run
    app.state.console.throttle = type(app.state.console.throttle)(per_user=10_000, per_address=10_000)
    return {"app": app, "passwords": passwords}


def _session(logged_in: dict[str, Any], role: str = "investigator") -> dict[str, Any]:
    """A fresh session per operation: a generated POST /api/logout ends the one it is sent with."""
    client = TestClient(logged_in["app"])
    reply = client.post("/api/login", json={"username": role, "password": logged_in["passwords"][role]})
    assert reply.status_code == 200
    return {"cookies": dict(client.cookies), "csrf": reply.json()["csrf_token"]}


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


EXAMPLES = 12
ROLES = ("analyst", "investigator")


def _fuzz(operation: Any, logged_in: dict[str, Any], codes: set[tuple[str, int]], role: str) -> None:
    label = operation.label
    session = _session(logged_in, role)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(cookies=session["cookies"], headers={"X-CSRF-Token": session["csrf"]})
        codes.add((label, response.status_code))
        assert response.status_code < 500, (role, label, case.formatted_path, case.query, response.text[:500])

    call()


def test_no_server_errors(logged_in: dict[str, Any]) -> None:
    # schemathesis' pytest fixture loader does not run on pytest 9, so hypothesis drives each operation here
    operations = _operations(logged_in["app"])
    assert len(operations) >= 12
    codes: set[tuple[str, int]] = set()
    for role in ROLES:
        for operation in operations:
            _fuzz(operation, logged_in, codes, role)
    assert {label for label, _ in codes} == {op.label for op in operations}
    # the session works: the generator reaches real answers, not only 401s
    assert {label for label, code in codes if code == 200} >= {"GET /api/alerts", "GET /api/cases", "GET /api/me"}
