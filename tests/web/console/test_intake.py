"""The intake officer's view in the console: list with deadlines, read with the passphrase,
reply (the reporter reads it with the receipt), open a case, close; others are refused."""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from redline.intake import reports
from redline.intake.officers import add_officer
from redline.intake.uploads import Upload
from redline.review.accounts import add_account, ensure_demo_accounts
from redline.settings import Settings
from redline.store.db import migrate
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSPHRASE = "intake passphrase 42"
TEXT = "某粮站副站长收受粮贩红包二十一个，每个二百元，时间在九月至十二月。"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[TestClient, str, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = migrate(url)
    add_officer(engine, "officer1", PASSPHRASE)
    add_account(engine, "officer1", "intake", PASSPHRASE)
    passwords = {role: pw for _, role, pw in ensure_demo_accounts(engine)}
    data = tmp_path / "data"
    code = reports.submit(engine, data, reports.NewReport(text=TEXT, category="gifts", contact="13800000000"),
                          date(2026, 11, 25))
    app = create_console_app(Settings(db_url=url, data_dir=data), engine)
    return TestClient(app), code, passwords


def _login(client: TestClient, user: str, password: str) -> str:
    answer = client.post("/api/login", json={"username": user, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


def test_officer_reads_replies_opens_a_case_and_closes(setup: tuple[TestClient, str, dict[str, str]]) -> None:
    client, code, _ = setup
    csrf = _login(client, "officer1", PASSPHRASE)
    listing = client.get("/intake")
    assert listing.status_code == 200
    assert "2026-12-16" in listing.text  # accept within 15 working days
    # a report that came in is 已收到 (a payment's 已收款 would read as money taken)
    assert "已收到，待受理" in listing.text
    assert "已收款" not in listing.text
    locked = client.get("/intake/1")
    assert TEXT not in locked.text
    wrong = client.post("/intake/1/open", data={"csrf_token": csrf, "passphrase": "not it"})
    assert wrong.status_code == 403
    opened = client.post("/intake/1/open", data={"csrf_token": csrf, "passphrase": PASSPHRASE})
    assert TEXT in opened.text
    assert "13800000000" in opened.text
    replied = client.post("/intake/1/reply", data={"csrf_token": csrf, "passphrase": PASSPHRASE,
                                                   "text": "请问是哪个粮站？"})
    assert replied.status_code == 200
    assert [m.author for m in reports.follow_up(setup[0].app.state.console.engine, code).messages] == ["reporter", "officer"]
    case = client.post("/intake/1/case", data={"csrf_token": csrf}, follow_redirects=False)
    assert case.status_code == 303
    assert re.search(r'href="/cases/\d+"', client.get("/intake").text)
    closed = client.post("/intake/1/close", data={"csrf_token": csrf, "passphrase": PASSPHRASE,
                                                  "outcome": "经核实，已移交处理。"})
    assert closed.status_code == 200
    assert reports.follow_up(setup[0].app.state.console.engine, code).status == "closed"


def test_other_roles_and_missing_csrf_are_refused(setup: tuple[TestClient, str, dict[str, str]]) -> None:
    client, _, passwords = setup
    _login(client, "analyst", passwords["analyst"])
    assert client.get("/intake").status_code == 403
    officer = TestClient(client.app)
    _login(officer, "officer1", PASSPHRASE)
    assert officer.post("/intake/1/open", data={"passphrase": PASSPHRASE}).status_code == 403


def _photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(out, "PDF")
    return out.getvalue()


@pytest.fixture
def with_files(tmp_path: Path) -> tuple[TestClient, Any]:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    engine = migrate(url)
    add_officer(engine, "officer1", PASSPHRASE)
    add_account(engine, "officer1", "intake", PASSPHRASE)
    data = tmp_path / "data"
    # the reporter's names say nothing true about the content: the officer's download goes by content
    files = [Upload("现场照片", "", _photo()), Upload("收据扫描", "application/pdf", _pdf())]
    reports.submit(engine, data, reports.NewReport(text=TEXT, category="gifts", files=files), date(2026, 11, 25))
    return TestClient(create_console_app(Settings(db_url=url, data_dir=data), engine)), engine


def test_asking_the_reporter_leaves_the_report_unaccepted(setup: tuple[TestClient, str, dict[str, str]]) -> None:
    client, code, _ = setup
    csrf = _login(client, "officer1", PASSPHRASE)
    client.post("/intake/1/reply", data={"csrf_token": csrf, "passphrase": PASSPHRASE, "text": "请问是哪个粮站？"})
    engine = client.app.state.console.engine  # type: ignore[attr-defined]
    assert reports.follow_up(engine, code).status == "received"  # 受理 is the officer's own act
    accepted = client.post("/intake/1/accept", data={"csrf_token": csrf}, follow_redirects=False)
    assert accepted.status_code == 303
    assert reports.follow_up(engine, code).status == "accepted"


@pytest.mark.parametrize(("position", "mime", "extension"), [(0, "image/png", "png"), (1, "application/pdf", "pdf")])
def test_files_download_with_their_type_and_preview(with_files: tuple[TestClient, Any], position: int, mime: str,
                                                    extension: str) -> None:
    client, _ = with_files
    csrf = _login(client, "officer1", PASSPHRASE)
    opened = client.post("/intake/1/open", data={"csrf_token": csrf, "passphrase": PASSPHRASE})
    file_ids = re.findall(r'action="/intake/1/files/(\d+)"', opened.text)
    assert len(file_ids) == 2
    # previews inline: the photo and the PDF's page as pictures on the report page
    assert len(re.findall(r'<img[^>]+class="preview"[^>]+src="data:image/(?:jpeg|png);base64,', opened.text)) == 2
    got = client.post(f"/intake/1/files/{file_ids[position]}", data={"csrf_token": csrf, "passphrase": PASSPHRASE})
    assert got.status_code == 200
    assert got.headers["content-type"].split(";")[0] == mime
    assert got.headers["content-disposition"].endswith(f'.{extension}"')


def test_files_missing_from_the_data_folder_are_named_not_a_crash(with_files: tuple[TestClient, Any],
                                                                  tmp_path: Path) -> None:
    _, engine = with_files
    # the console started with another --data than the portal's
    other = TestClient(create_console_app(Settings(db_url=str(engine.url), data_dir=tmp_path / "elsewhere"), engine))
    csrf = _login(other, "officer1", PASSPHRASE)
    opened = other.post("/intake/1/open", data={"csrf_token": csrf, "passphrase": PASSPHRASE})
    assert opened.status_code == 200
    assert TEXT in opened.text
    assert opened.text.count("redline serve --data") == 2
    assert 'class="preview"' not in opened.text
