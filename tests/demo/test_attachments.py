"""The demo's planted attachments: files on disk that match their messages, rendered the same way
every build, and found (or not) end to end by `scan_store(..., files_root=bundle)`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import filetype
import orjson
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from redline.demo import attachment_cases as ac
from redline.pipeline.screen import scan_store
from redline.rules.build import build_plan
from redline.store import load_bundle, migrate
from redline.store.tables.findings import FindingRow

CASES = ("classified_photo", "classified_scan")
MISSES = ("public_notice_photo", "holiday_photo")


def _planted(small_demo) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    planted = small_demo.planted
    return {**{k: planted["cases"][k] for k in CASES}, **{k: planted["near_misses"][k] for k in MISSES}}


@pytest.fixture(scope="module")
def messages(small_demo) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {m["id"]: m for m in small_demo.rows("messages")}


@pytest.mark.parametrize("key", CASES + MISSES)
def test_each_planted_file_exists_and_matches_its_message(  # type: ignore[no-untyped-def]
        small_demo, messages, key: str) -> None:
    record = _planted(small_demo)[key]
    [mid] = record["message_ids"]
    message = messages[mid]
    attachment = orjson.loads(message["attachment"])  # the bundle keeps it as JSON text
    data = (small_demo.result.bundle_path / record["file"]["path"]).read_bytes()
    assert attachment == {"name": Path(record["file"]["path"]).name, "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest(), "path": record["file"]["path"]}
    assert attachment["path"].startswith("attachments/")
    assert (message["conversation"], message["sender"]) == (record["group_id"], record["person_id"])
    kind = filetype.guess(data)
    assert kind is not None
    assert (message["type"], kind.mime) == (("file", "application/pdf") if record["file"]["kind"] == "pdf"
                                            else ("image", "image/jpeg"))
    assert 20_000 < len(data) < 300_000  # small enough for a fast build, large enough to be a real page


def test_only_the_planted_messages_point_to_files(small_demo, messages) -> None:  # type: ignore[no-untyped-def]
    with_path = {mid for mid, m in messages.items() if m["attachment"] and orjson.loads(m["attachment"])["path"]}
    planted = {i for r in _planted(small_demo).values() for i in r["message_ids"]}
    assert with_path == planted
    on_disk = {p.relative_to(small_demo.result.bundle_path).as_posix()
               for p in (small_demo.result.bundle_path / ac.FOLDER).iterdir()}
    assert on_disk == {r["file"]["path"] for r in _planted(small_demo).values()}


def test_the_scan_has_no_text_layer(small_demo) -> None:  # type: ignore[no-untyped-def]
    record = small_demo.planted["cases"]["classified_scan"]
    reader = PdfReader(small_demo.result.bundle_path / record["file"]["path"])
    assert len(reader.pages) == 1
    assert (reader.pages[0].extract_text() or "").strip() == ""  # only OCR can find its marking


def test_files_render_to_the_same_bytes(small_demo) -> None:  # type: ignore[no-untyped-def]
    root = small_demo.result.bundle_path
    cases = small_demo.planted["cases"]
    photo = cases["classified_photo"]["file"]["path"]
    assert ac._phone_photo(ac.PERSONNEL_PLAN, angle=-2.5) == (root / photo).read_bytes()
    assert ac._scanned_pdf(ac.COMPENSATION) == (root / cases["classified_scan"]["file"]["path"]).read_bytes()
    holiday = small_demo.planted["near_misses"]["holiday_photo"]["file"]["path"]
    assert ac._holiday_photo() == (root / holiday).read_bytes()


def test_the_photo_is_not_the_pasted_text_case(small_demo, messages) -> None:  # type: ignore[no-untyped-def]
    photo = small_demo.planted["cases"]["classified_photo"]
    pasted = small_demo.planted["cases"]["classified_notice"]
    a, b = messages[photo["message_ids"][0]], messages[pasted["message_ids"][0]]
    assert a["sender"] != b["sender"]
    assert a["time"].date() != b["time"].date()
    assert a["text"] == ""  # the marking is only in the picture
    scan = small_demo.planted["cases"]["classified_scan"]
    assert [i.split("-")[1] for i in photo["message_ids"] + scan["message_ids"]] == ["photo", "scan"]  # own id space


@pytest.fixture(scope="module")
def scanned(small_demo, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:  # type: ignore[no-untyped-def]
    """The small demo loaded into SQLite and scanned with its files, as `make demo` does."""
    engine = migrate(f"sqlite:///{tmp_path_factory.mktemp('demo-db') / 'r.db'}")
    load_bundle(engine, small_demo.result.bundle_path)
    scan_store(engine, build_plan("all").plan, files_root=small_demo.result.bundle_path)
    with engine.connect() as conn:
        rows = conn.execute(select(FindingRow.subject_id, FindingRow.rule_id, FindingRow.detector,
                                   FindingRow.evidence, FindingRow.facts)).all()
    engine.dispose()
    return list(rows)


@pytest.mark.parametrize("key", CASES)
def test_scan_with_files_finds_the_planted_documents(  # type: ignore[no-untyped-def]
        small_demo, scanned, key: str) -> None:
    case = small_demo.planted["cases"][key]
    expected = case["expected"]
    mine = [r for r in scanned if r.subject_id in case["message_ids"]]
    marks = [r for r in mine if r.detector == "secret_marks"]
    assert sorted(r.rule_id for r in marks) == sorted(expected["rule_ids"])
    assert {r.evidence for r in marks} == {case["marking"]}
    assert {r.detector for r in mine} == set(expected["detectors"])
    for r in mine:
        assert r.facts["file"] == str(small_demo.result.bundle_path / case["file"]["path"])
        assert r.facts["page"] == expected.get("page")
        assert r.facts["red_header"] is True
        assert r.facts["boxes"]  # where on the page the evidence is, for the console's outline
        assert all(len(box) == 4 for box in r.facts["boxes"])


def test_scan_with_files_leaves_the_near_misses_alone(small_demo, scanned) -> None:  # type: ignore[no-untyped-def]
    near = {i for k in MISSES for i in small_demo.planted["near_misses"][k]["message_ids"]}
    assert [r for r in scanned if r.subject_id in near] == []
    planted = {i for k in CASES for i in small_demo.planted["cases"][k]["message_ids"]}
    from_files = {r.subject_id for r in scanned if r.facts and "file" in r.facts}
    assert from_files == planted
