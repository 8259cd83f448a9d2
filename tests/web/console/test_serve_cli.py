"""The real `redline serve` on loopback.

Issue 15 item 7: it believes X-Forwarded-For only from the addresses given with
--forwarded-allow-ips. Without it, rotating the header neither escapes the per-address login
limit nor writes a made-up address into the audit log.
Issue 16 item 9: `--data` names the folder the portal seals uploads into, so the intake
officer's file download works; a console given another folder answers 404 with a hint, not 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.web.serving import serving

from redline.store.db import make_engine, migrate
from redline.store.tables.audit import AuditEntry

SERVER_HOST = "127.0.0.2"
CLIENT_HOST = "127.0.0.1"  # loopback: the peer uvicorn believes by default, unless told otherwise


def _serve(tmp_path: Path, *extra: str, url: str = "") -> Iterator[tuple[str, str]]:
    url = url or f"sqlite:///{tmp_path / 'console.db'}"
    migrate(url).dispose()
    with serving(url, *extra, env={"PYTHONUNBUFFERED": "1"}, host=SERVER_HOST) as base:
        yield base, url


@pytest.fixture
def no_proxy(tmp_path: Path) -> Iterator[tuple[str, str]]:
    yield from _serve(tmp_path)


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[tuple[str, str]]:
    yield from _serve(tmp_path, "--forwarded-allow-ips", CLIENT_HOST)


def _guess(base: str, n: int) -> list[int]:
    """n wrong logins, each under another user name and another claimed address."""
    transport = httpx.HTTPTransport(local_address=CLIENT_HOST)
    with httpx.Client(base_url=base, transport=transport) as client:
        return [client.post("/api/login", json={"username": f"guess{i}", "password": "wrong-password"},
                            headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(n)]


def _addresses(url: str) -> set[str]:
    with Session(make_engine(url)) as session:
        return {str(e.detail.get("address")) for e in session.scalars(select(AuditEntry))
                if e.action.startswith("login")}


def test_rotating_forwarded_for_does_not_escape_the_login_limit(no_proxy: tuple[str, str]) -> None:
    base, url = no_proxy
    codes = _guess(base, 24)
    assert codes[:20] == [400] * 20
    assert codes[20:] == [403] * 4  # the 21st attempt from one address is throttled, whatever it claims
    assert _addresses(url) == {CLIENT_HOST}


def test_a_configured_proxy_is_believed(behind_proxy: tuple[str, str]) -> None:
    base, url = behind_proxy
    assert _guess(base, 3) == [400, 400, 400]
    assert _addresses(url) == {"198.51.100.0", "198.51.100.1", "198.51.100.2"}


PASSPHRASE = "intake passphrase 42"


@pytest.mark.parametrize("same_folder", [True, False])
def test_intake_file_download_with_data(tmp_path: Path, same_folder: bool) -> None:
    import io
    from datetime import date

    from PIL import Image

    from redline.intake import reports
    from redline.intake.officers import add_officer
    from redline.intake.uploads import Upload
    from redline.review.accounts import add_account

    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = migrate(url)
    add_officer(engine, "officer1", PASSPHRASE)
    add_account(engine, "officer1", "intake", PASSPHRASE)
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(picture, format="PNG")
    portal_data = tmp_path / "portal-data"  # where `redline portal --data` sealed the upload
    reports.submit(engine, portal_data, reports.NewReport(text="某站长收受红包", category="gifts", files=[
        Upload("p.png", "image/png", picture.getvalue())]), date(2026, 11, 25))
    engine.dispose()
    console_data = portal_data if same_folder else tmp_path / "elsewhere"
    for base, _ in _serve(tmp_path, "--data", str(console_data), url=url):
        with httpx.Client(base_url=base) as client:
            csrf = client.post("/api/login", json={"username": "officer1", "password": PASSPHRASE}).json()["csrf_token"]
            answer = client.post("/intake/1/files/1", data={"csrf_token": csrf, "passphrase": PASSPHRASE})
        if same_folder:
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "image/png"
        else:
            assert answer.status_code == 404
            assert "--data" in answer.text
