"""The portal's HTTP surface: receipts, refusals, throttling, no cookies, no tracking."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import secrets
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from PIL import Image
from tests.web.portal.conftest import PASSPHRASE, gps_jpeg

from redline.intake.officers import add_officer, read_report, reply
from redline.settings import Settings
from redline.store.db import migrate
from redline.web.portal.app import PortalConfig, app_from_env, portal_env
from redline.web.portal.guard import Limits

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TEXT = "某局副局长在项目审批期间多次收受施工方微信转账，合计约五千元。"


def _post(client, **fields):  # type: ignore[no-untyped-def]
    files = fields.pop("files", None)
    return client.post("/api/reports", data={"category": "gifts", **fields}, files=files)


def test_report_with_photo_gives_a_receipt_and_follow_up_works(portal) -> None:  # type: ignore[no-untyped-def]
    client, engine, data = portal
    answer = _post(client, text=TEXT, files=[("files", ("现场.jpg", gps_jpeg(), "image/jpeg"))])
    assert answer.status_code == 201, answer.text
    receipt = answer.json()["receipt"]
    assert len(receipt.replace("-", "")) == 20
    assert "set-cookie" not in answer.headers
    assert answer.headers["referrer-policy"] == "no-referrer"
    follow = client.post("/api/follow", data={"receipt": receipt})
    assert follow.status_code == 200
    assert follow.json()["messages"][0]["text"] == TEXT
    report_id = read_report(engine, "officer1", PASSPHRASE, 1)[0].id
    reply(engine, data, "officer1", PASSPHRASE, report_id, "请补充转账截图", __import__("datetime").date(2026, 11, 26))
    page = client.post("/follow", data={"receipt": receipt.lower()})
    assert "请补充转账截图" in page.text


@pytest.mark.parametrize(("files", "status"), [
    ([("files", ("a.jpg", b"%PDF-1.4 not a photo", "image/jpeg"))], 415),
    ([("files", ("a.txt", b"hello", "text/plain"))], 415),
    ([("files", ("big.jpg", b"\xff\xd8\xff" + b"\0" * (11 * 2**20), "image/jpeg"))], 413),
], ids=["mislabelled", "wrong-type", "oversized"])
def test_bad_uploads_are_refused_cleanly(portal, files, status) -> None:  # type: ignore[no-untyped-def]
    client, _, data = portal
    answer = _post(client, text=TEXT, files=files)
    assert answer.status_code == status
    assert "error" in answer.json()
    assert not any(p.is_file() for p in Path(data).rglob("*"))


def test_wrong_receipt_rejected_and_guessing_throttled(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = portal
    receipt = _post(client, text=TEXT).json()["receipt"]
    wrong = receipt[:-1] + ("0" if receipt[-1] != "0" else "1")
    statuses = [client.post("/api/follow", data={"receipt": wrong}).status_code for _ in range(6)]
    assert statuses[:4] == [404] * 4
    assert statuses[4:] == [429, 429]
    # the right code is throttled too from a client that has been guessing: no oracle
    assert client.post("/api/follow", data={"receipt": receipt}).status_code == 429


def test_submissions_are_rate_limited(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = portal
    statuses = [_post(client, text=TEXT).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]


def test_honeypot_looks_like_success_but_stores_nothing(portal) -> None:  # type: ignore[no-untyped-def]
    client, engine, _ = portal
    answer = _post(client, text=TEXT, website="http://spam.example")
    assert answer.status_code == 201
    assert client.post("/api/follow", data={"receipt": answer.json()["receipt"]}).status_code == 404
    from redline.intake.officers import list_reports
    assert list_reports(engine) == []


def test_pages_in_chinese_and_english(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = portal
    assert "反映问题" in client.get("/").text
    english = client.get("/?lang=en").text
    assert "Report a problem" in english
    assert "反映问题" not in english
    refused = client.post("/report", data={"text": "", "category": "gifts"})
    assert refused.status_code == 400
    assert "请填写问题描述或上传文件" in refused.text


def test_portal_shares_no_routes_with_the_console(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = portal
    for path in ("/login", "/alerts", "/api/alerts", "/api/login", "/cases"):
        assert client.get(path).status_code in (404, 405)


def test_worker_processes_share_the_pow_key_and_split_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `redline portal --workers 2` gives each worker: a challenge from one is good at the other,
    and each enforces half of the submission limit."""
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    add_officer(migrate(url), "officer1", PASSPHRASE)
    config = PortalConfig(data_dir=tmp_path / "data", limits=Limits(submit_per_client="4/minute"), pow_bits=8,
                          pow_key=secrets.token_bytes(32))
    for name, value in portal_env(Settings(db_url=url), config, workers=2).items():
        monkeypatch.setenv(name, value)
    first, second = TestClient(app_from_env()), TestClient(app_from_env())
    challenge = first.get("/api/pow").json()["challenge"]
    work = next(str(n) for n in itertools.count()
                if int.from_bytes(hashlib.sha256(f"{challenge}:{n}".encode()).digest(), "big") >> (256 - 8) == 0)
    statuses = [_post(second, text=TEXT, challenge=challenge, work=work).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert _post(second, text=TEXT, challenge=challenge, work="wrong").status_code in (400, 429)
    assert _post(first, text=TEXT, challenge=challenge, work=work).status_code == 201


_SPILLS: list[str] = []
_WATCHING: list[bool] = []
_HOOKED: list[bool] = []


def _watch_temp_files(event: str, args: tuple[object, ...]) -> None:
    """Audit hook: note files opened in the temporary folder (where Starlette spools big uploads)."""
    if _WATCHING and event == "open" and isinstance(args[0], (str, bytes)):
        path, temp = Path(os.fsdecode(args[0])), Path(tempfile.gettempdir())
        if temp in (path, path.parent):
            _SPILLS.append(str(path))


def test_big_photos_never_reach_the_disk_in_clear(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, data = portal
    photo = io.BytesIO()
    noise = Image.effect_noise((1500, 1500), 120).convert("RGB")
    exif = noise.getexif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    noise.save(photo, format="JPEG", quality=95, exif=exif)
    assert photo.tell() > 1024 * 1024  # more than Starlette keeps in memory
    if not _HOOKED:
        sys.addaudithook(_watch_temp_files)  # audit hooks stay for the process: it only looks while watching
        _HOOKED.append(True)
    _SPILLS.clear()
    _WATCHING.append(True)
    try:
        answer = _post(client, text=TEXT, files=[("files", ("big.jpg", photo.getvalue(), "image/jpeg"))])
    finally:
        _WATCHING.clear()
    assert answer.status_code == 201, answer.text
    assert _SPILLS == []
    assert len([p for p in Path(data).rglob("*") if p.is_file()]) == 1  # the sealed file only


def test_limits_apply_while_the_body_streams_in(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, data = portal
    boundary = "redline-test-boundary"

    def body():  # type: ignore[no-untyped-def]  # chunked: no Content-Length to refuse up front
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{TEXT}\r\n"
               f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n"
               "Content-Type: image/jpeg\r\n\r\n").encode()
        for _ in range(12):
            yield b"\xff" * 2**20
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = client.post("/api/reports", content=body(),
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert answer.status_code == 413
    many = [("files", (f"{n}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")) for n in range(7)]
    assert _post(client, text=TEXT, files=many).status_code == 413

    def plain_form():  # type: ignore[no-untyped-def]
        yield b"category=gifts&text="
        for _ in range(3):
            yield b"%E7%BA%A2" * 2**16

    answer = client.post("/api/reports", content=plain_form(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413
    assert not any(p.is_file() for p in Path(data).rglob("*"))


def test_plain_form_text_arrives_intact(portal) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = portal
    receipt = _post(client, text=TEXT + " a&b=c+d%", contact="").json()["receipt"]
    assert client.post("/api/follow", data={"receipt": receipt}).json()["messages"][0]["text"] == TEXT + " a&b=c+d%"


def test_the_form_says_what_is_done_to_files(portal: tuple[TestClient, object, Path]) -> None:
    """Issue 15 item 6: the reporter learns before choosing a file which types are taken and cleaned."""
    page = portal[0].get("/")
    assert "视频和音频无法去除这些信息" in page.text
    accept = page.text.split('name="files"', 1)[1].split("accept=\"", 1)[1].split('"', 1)[0]
    assert set(accept.split(",")) == {"image/jpeg", "image/png", "image/webp", "application/pdf"}
    english = portal[0].get("/", params={"lang": "en"})
    assert "Video and audio cannot be cleaned" in english.text
