"""Issue 15 item 2: attachments outside the bundle are neither read by `redline scan --files`
nor served by the console, and a file is served only through the alert it belongs to."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.bundle import write_bundle
from redline.cli import main
from redline.contracts import Finding
from redline.review.accounts import ensure_demo_accounts
from redline.review.alerts import build_alerts
from redline.settings import Settings
from redline.store import load_bundle, migrate, save_findings
from redline.store.tables.audit import AuditEntry
from redline.store.tables.findings import FindingRow
from redline.store.tables.quarantine import QuarantinedRow
from redline.store.tables.review import Alert
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SECRET = "機密★1年 关于调整领导班子的请示\n"  # a secrecy marking: the packs always flag it
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _message(mid: str, path: str, conversation: str = "g1", sender: str = "p1") -> dict[str, object]:
    return {"id": mid, "time": WHEN, "conversation": conversation, "sender": sender, "type": "file", "text": "",
            "attachment": {"name": Path(path).name, "size": 1, "sha256": None, "path": path}}


@pytest.mark.parametrize("escape", ["../outside/leak.txt", "ABSOLUTE", "sub/../../outside/leak.txt", "LINK"])
def test_scan_files_refuses_paths_outside_the_folder(tmp_path: Path, escape: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = tmp_path / "files"
    (files / "sub").mkdir(parents=True)
    (files / "inside.txt").write_text(SECRET, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.txt").write_text(SECRET, encoding="utf-8")
    if escape == "ABSOLUTE":
        escape = str(outside / "leak.txt")
    elif escape == "LINK":  # a symbolic link inside the folder that points out of it
        (files / "link.txt").symlink_to(outside / "leak.txt")
        escape = "link.txt"
    write_bundle(tmp_path / "bundle", {
        "people": [{"person_id": "p1", "name": "张三", "unit": "县委办", "post": "科员", "is_official": True}],
        "messages": [_message("m-in", "inside.txt"), _message("m-out", escape)],
    })
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = migrate(url)
    load_bundle(engine, tmp_path / "bundle")
    main(["scan", "--db", url, "--files", str(files)])  # returns when it succeeds (SystemExit otherwise)
    out = capsys.readouterr().out
    with Session(engine) as session:
        read = {(f.subject_id, Path(str(f.facts.get("file"))).name) for f in session.scalars(select(FindingRow))
                if f.facts.get("file")}
        refused = session.scalars(select(QuarantinedRow)).all()
    assert ("m-in", "inside.txt") in read
    assert not [m for m, _ in read if m == "m-out"], "a file outside --files was read"
    assert [(r.field, "m-out" in r.raw) for r in refused] == [("attachment.path", True)]
    assert "outside" in refused[0].reason
    assert "1 attachment path(s) outside" in out


def _png(path: Path, colour: str) -> None:
    Image.new("RGB", (40, 30), colour).save(path)


def test_a_file_is_served_only_through_its_own_alert(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    _png(files / "a.png", "red")
    _png(files / "b.png", "blue")
    (files / "c.txt").write_text("not a picture", encoding="utf-8")
    write_bundle(tmp_path / "bundle", {
        "people": [{"person_id": "p1", "name": "张三", "unit": "县委办", "post": "科员", "is_official": True},
                   {"person_id": "p2", "name": "李四", "unit": "财政局", "post": "科员", "is_official": True}],
        # three incidents: other people and other conversations, so that each file has its own alert
        "messages": [_message("m-a", "a.png"), _message("m-b", "b.png", "g2", "p2"),
                     _message("m-c", "c.txt", "g3", "p3")],
    })
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = migrate(url)
    load_bundle(engine, tmp_path / "bundle")
    save_findings(engine, [
        Finding(rule_id="BM-01", category="secrets", detector="secret_marks", subject="message", subject_id=mid,
                severity="high", reason="附件中有密级标志", evidence="機密", start=0, end=2,
                facts={"file": str(files / name), "page": 1, "boxes": [[[1, 1], [9, 1], [9, 9], [1, 9]]]})
        for mid, name in (("m-a", "a.png"), ("m-b", "b.png"), ("m-c", "c.txt"))
    ])
    build_alerts(engine)
    passwords = {role: pw for _, role, pw in ensure_demo_accounts(engine)}
    client = TestClient(create_console_app(Settings(db_url=url), engine))
    assert client.post("/api/login", json={"username": "investigator",
                                           "password": passwords["investigator"]}).status_code == 200
    with Session(engine) as session:
        alert_of = {a.subject_id: a.id for a in session.scalars(select(Alert))}
        finding_of = {f.subject_id: f.id for f in session.scalars(select(FindingRow))}
    assert len(set(alert_of.values())) == 3

    own = client.get(f"/alerts/{alert_of['m-a']}/attachment/{finding_of['m-a']}")
    assert own.status_code == 200
    assert own.headers["content-type"] == "image/png"
    crossed = client.get(f"/alerts/{alert_of['m-a']}/attachment/{finding_of['m-b']}")
    assert crossed.status_code == 404
    # a text file is no picture: a clear 415, not a server error
    assert client.get(f"/alerts/{alert_of['m-c']}/attachment/{finding_of['m-c']}").status_code == 415
    with Session(engine) as session:
        views = [(e.target, e.detail) for e in session.scalars(select(AuditEntry))
                 if e.action == "evidence.file.view"]
    assert views == [(f"alert:{alert_of['m-a']}", {"finding": finding_of["m-a"]})]

