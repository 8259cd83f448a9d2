"""The console's case pages of issue 19 through the app (no browser): who may do what, what is
shown, and that the package served is the one the CLI would verify."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.cases.conftest import open_case

from redline.cases.verify import verify_package
from redline.review.sample import REAL_SECRETS
from redline.settings import Settings
from redline.store.tables.holds import Hold
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def app_with_case(console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path) -> tuple[Any, int, dict[str, str]]:
    url, engine, passwords = console_db
    case_id = open_case(engine)
    settings = Settings(db_url=url, signing_key_path=tmp_path / "keys" / "signing.key")
    return create_console_app(settings, engine), case_id, passwords


@pytest.fixture
def as_role(app_with_case: tuple[Any, int, dict[str, str]]) -> Callable[[str], tuple[TestClient, str]]:
    app, _, passwords = app_with_case

    def _login(role: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        reply = client.post("/api/login", json={"username": role, "password": passwords[role]})
        assert reply.status_code == 200, reply.text
        return client, reply.json()["csrf_token"]

    return _login


def test_person_page_shows_pseudonyms_and_points_only(app_with_case: tuple[Any, int, dict[str, str]],
                                                      as_role: Callable[[str], tuple[TestClient, str]]) -> None:
    client, _ = as_role("analyst")
    people = client.get("/people")
    assert people.status_code == 200
    pseudonyms = re.findall(r'href="/people/(人员-[0-9A-F]{8})"', people.text)
    assert len(pseudonyms) == 2
    page = client.get(f"/people/{pseudonyms[0]}")
    assert page.status_code == 200
    points = [float(p) for p in re.findall(r'class="num points">([0-9.]+)<', page.text)]
    score = float(re.search(r'id="risk-score">([0-9.]+)<', page.text).group(1))  # type: ignore[union-attr]
    assert len(points) == 3
    assert round(sum(points), 2) == score
    assert [s for s in REAL_SECRETS if s in people.text + page.text] == []
    assert 'id="reveal-form"' not in page.text  # analysts cannot reveal
    assert 'id="person-hold-form"' not in page.text


@pytest.mark.parametrize(("role", "hold", "package"), [
    ("investigator", 303, 200), ("analyst", 403, 403), ("auditor", 403, 403),
])
def test_who_may_hold_and_export(app_with_case: tuple[Any, int, dict[str, str]],
                                 as_role: Callable[[str], tuple[TestClient, str]], tmp_path: Path,
                                 role: str, hold: int, package: int) -> None:
    app, case_id, _ = app_with_case
    client, csrf = as_role(role)
    placed = client.post(f"/cases/{case_id}/holds", data={"reason": "证据保全需要", "csrf_token": csrf},
                         follow_redirects=False)
    assert placed.status_code == hold
    served = client.post(f"/cases/{case_id}/package", data={"csrf_token": csrf, "redact": "1"}, follow_redirects=False)
    assert served.status_code == package
    if package == 200:
        path = tmp_path / "served.zip"
        path.write_bytes(served.content)
        checked = verify_package(path)
        assert (checked.ok, checked.redacted) == (True, True)
        with zipfile.ZipFile(io.BytesIO(served.content)) as archive:
            assert "王建国" not in archive.read("originals/messages.jsonl").decode()
    with Session(app.state.console.engine) as session:
        assert len(list(session.scalars(select(Hold)))) == (1 if hold == 303 else 0)


def test_lifting_without_a_reason_is_refused(app_with_case: tuple[Any, int, dict[str, str]],
                                             as_role: Callable[[str], tuple[TestClient, str]]) -> None:
    _, case_id, _ = app_with_case
    client, csrf = as_role("investigator")
    client.post(f"/cases/{case_id}/holds", data={"reason": "证据保全需要", "csrf_token": csrf})
    page = client.get(f"/cases/{case_id}/custody")
    hold_id = int(re.search(r'action="/holds/(\d+)/lift"', page.text).group(1))  # type: ignore[union-attr]
    refused = client.post(f"/holds/{hold_id}/lift", data={"reason": " ", "csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 400
    lifted = client.post(f"/holds/{hold_id}/lift", data={"reason": "审查结束", "csrf_token": csrf,
                                                         "back": f"/cases/{case_id}/custody"}, follow_redirects=False)
    assert (lifted.status_code, lifted.headers["location"]) == (303, f"/cases/{case_id}/custody")
