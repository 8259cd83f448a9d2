"""`redline scan --files DIR` screens the files messages point to, each distinct file once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.attachments.specimens import like_a_phone, render_document
from redline.bundle import write_bundle
from redline.pipeline.screen import scan_store
from redline.rules.build import build_plan
from redline.store import load_bundle, migrate
from redline.store.tables.findings import FindingRow


def test_scan_screens_attached_photos(tmp_path: Path, font_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    like_a_phone(render_document(font_path, marking="机密★1年")).save(files / "notice.jpg", quality=85)
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    people = [{"person_id": "p1", "name": "张三", "unit": "县委办", "post": "科员", "is_official": True, "external": False}]
    messages = [
        {"id": f"m{n}", "time": when, "conversation": "g1", "sender": "p1", "type": "image", "text": "",
         "attachment": {"name": "notice.jpg", "size": 1, "sha256": None, "path": "notice.jpg"}} for n in (1, 2)
    ] + [{"id": "m3", "time": when, "conversation": "g1", "sender": "p1", "type": "text", "text": "收到",
          "attachment": None}]
    write_bundle(tmp_path / "bundle", {"people": people, "messages": messages})
    engine = migrate(f"sqlite:///{tmp_path / 'r.db'}")
    load_bundle(engine, tmp_path / "bundle")
    summary = scan_store(engine, build_plan("all").plan, files_root=files)
    with Session(engine) as session:
        rows = session.execute(select(FindingRow.subject_id, FindingRow.evidence, FindingRow.facts)
                               .where(FindingRow.evidence == "机密★1年")).all()
    assert {r.subject_id for r in rows} == {"m1", "m2"}
    assert all(r.facts["file"].endswith("notice.jpg") and r.facts["boxes"] for r in rows)
    assert summary.messages == 3
