"""The quarantine page: stored rejected rows, masked, filtered and paged, audited, for importers only."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.bundle import write_bundle
from redline.store.load import load_bundle
from redline.store.tables.audit import AuditEntry

CN = timezone(timedelta(hours=8))
MOBILE = "13812345678"


def _bundle_zip(tmp_path: Path, name: str, bad: list[dict[str, str]]) -> Path:
    """A bundle .zip: one person, one good payment, and `bad` payment rows (CSV values as text)."""
    folder = write_bundle(tmp_path / name.removesuffix(".zip"), {
        "people": [{"person_id": "p-q1", "name": "钱某", "unit": "财政局", "post": "", "is_official": True,
                    "external": False, "start_date": None, "end_date": None}],
        "payments": [{"payment_id": "q-ok", "time": datetime(2025, 3, 1, 9, 0, tzinfo=CN), "payer": "p-q1",
                      "payee": "b-x", "amount_fen": 100, "kind": "transfer", "channel": "wechat",
                      "conversation": None, "memo": "", "status": "paid", "packet_id": None}],
    })
    payments = folder / "payments.csv"
    header = next(csv.reader(io.StringIO(payments.read_text(encoding="utf-8"))))
    with payments.open("a", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, quoting=csv.QUOTE_ALL)
        for row in bad:
            writer.writerow({"time": "2025-03-02T09:00:00+08:00", "payer": "p-q1", "payee": "b-x", "amount_yuan": "1.00",
                             "kind": "transfer", "channel": "wechat", "status": "paid", **row})
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, path.name)
    return archive


BAD = [
    {"payment_id": "q-neg", "amount_yuan": "-3.00", "memo": f"回电{MOBILE}"},  # the mobile in the raw row
    {"payment_id": "q-kind", "kind": MOBILE},  # the mobile is the rejected value: in the reason too
]


def _upload(client: Any, token: str, archive: Path) -> str:
    reply = client.post("/import", data={"csrf_token": token},
                        files={"bundle": (archive.name, archive.read_bytes(), "application/zip")})
    assert reply.status_code == 200, reply.text[:500]
    return reply.text


def _audited(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def test_page_lists_stored_rows_masked_and_audits_the_view(login: Callable[..., Any], console_db: Any,
                                                          tmp_path: Path) -> None:
    _, engine, _ = console_db
    client, token = login("admin")
    assert 'href="/quarantine"' in _upload(client, token, _bundle_zip(tmp_path, "export.zip", BAD))

    page = client.get("/quarantine").text  # a later request: the rows come from the store
    assert "首次发现" in page  # Chinese first
    assert re.search(r'id="quarantine-total">2 行在隔离区中', page)
    assert MOBILE not in page
    assert page.count("138****5678") == 3  # the raw rows of both, and the reason quoting the bad kind
    assert "export.zip" in page  # the upload's name is the source, not a temporary path
    [entry] = _audited(engine, "quarantine.list")
    assert (entry.actor, entry.role) == ("admin", "admin")
    assert len(entry.detail["row_ids"]) == 2

    english = client.get("/lang/en?next=/quarantine").text  # the language switch goes back to the page
    assert "First seen" in english
    assert re.search(r'id="quarantine-total">2 rows held in quarantine', english)
    assert len(_audited(engine, "quarantine.list")) == 2  # every view


def test_a_fixed_upload_empties_its_quarantine(login: Callable[..., Any], tmp_path: Path) -> None:
    client, token = login("admin")
    _upload(client, token, _bundle_zip(tmp_path / "a", "export.zip", BAD))
    _upload(client, token, _bundle_zip(tmp_path / "b", "export.zip", BAD[1:]))  # the negative amount fixed
    assert re.search(r'id="quarantine-total">1 行在隔离区中', client.get("/quarantine").text)
    _upload(client, token, _bundle_zip(tmp_path / "c", "export.zip", []))
    assert "隔离区中没有记录。" in client.get("/quarantine").text


def test_filters_and_pages(login: Callable[..., Any], console_db: Any, tmp_path: Path) -> None:
    _, engine, _ = console_db
    load_bundle(engine, _bundle_zip(tmp_path / "a", "a.zip", BAD), name="a.zip")
    load_bundle(engine, _bundle_zip(tmp_path / "b", "b.zip", BAD), name="b.zip")
    client, _ = login("admin")
    only_a = client.get("/quarantine?source=a.zip&file=payments.csv").text
    assert re.search(r'id="quarantine-total">2 ', only_a)
    assert "<td>b.zip</td>" not in only_a
    assert "隔离区中没有记录。" in client.get("/quarantine?file=people.csv").text

    first = client.get("/quarantine?limit=3").text
    assert re.findall(r"<td>(\w\.zip)</td>", first) == ["b.zip", "b.zip", "a.zip"]  # newest first
    link = re.search(r'href="([^"]+)" id="next-page"', first)
    assert link is not None
    second = client.get(link.group(1).replace("&amp;", "&")).text
    assert re.findall(r"<td>(\w\.zip)</td>", second) == ["a.zip"]
    assert 'id="next-page"' not in second


@pytest.mark.parametrize("role", ["analyst", "investigator", "auditor", "intake"])
def test_roles_that_may_not_import_get_403(login: Callable[..., Any], console_db: Any, role: str) -> None:
    _, engine, _ = console_db
    client, _ = login(role)
    reply = client.get("/quarantine")
    assert reply.status_code == 403
    assert _audited(engine, "quarantine.list") == []
    assert 'href="/quarantine"' not in client.get("/dashboard").text  # not in their navigation either


def test_names_in_rejected_people_rows_are_hidden(login: Callable[..., Any], tmp_path: Path) -> None:
    # the person of a rejected people.csv row was never loaded: the masker cannot know the name
    archive = _bundle_zip(tmp_path, "people.zip", [])
    folder = tmp_path / "people"
    people = folder / "people.csv"
    header = next(csv.reader(io.StringIO(people.read_text(encoding="utf-8"))))
    with people.open("a", encoding="utf-8", newline="") as out:
        csv.DictWriter(out, header, quoting=csv.QUOTE_ALL).writerow(
            {"person_id": "p-bad", "name": "孙悟空", "unit": "财政局", "is_official": "也许", "external": "false"})
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, path.name)
    client, token = login("admin")
    imported = _upload(client, token, archive)
    page = client.get("/quarantine").text
    for shown in (imported, page):
        assert "people.csv" in shown
        assert "孙悟空" not in shown
        assert "＊＊＊" in shown
