"""The stored quarantine: idempotent across loads, fixed rows leave it, other sources untouched."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.store import load_bundle, migrate
from redline.store.base import Base
from redline.store.quarantine import list_quarantined, quarantine_sources
from redline.store.tables.quarantine import QuarantinedRow

BAD_PAYMENTS = (
    '"bad1","2016-03-01T10:00:00+08:00","m1","p1","-3.00","red_packet",,,,,\n'  # line 6: negative amount
    '"bad2","2016-03-02T10:00:00+08:00","m1","p1","1.00","bribe",,,,,\n'  # line 7: unknown kind
)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = migrate(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def bad_bundle(sample_bundle: Path) -> Path:
    with (sample_bundle / "payments.csv").open("a", encoding="utf-8") as out:
        out.write(BAD_PAYMENTS)
    return sample_bundle


def _rows(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        rows = session.scalars(select(QuarantinedRow).order_by(QuarantinedRow.id))
        return [{c: getattr(r, c) for c in ("id", "key", "source", "file", "line", "field", "reason", "raw",
                                            "first_seen", "last_seen")} for r in rows]


def _without_last_seen(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "last_seen"} for r in rows]


def test_loading_twice_leaves_the_same_quarantined_rows(engine: Engine, bad_bundle: Path) -> None:
    first = load_bundle(engine, bad_bundle)
    before = _rows(engine)
    assert [(r["source"], r["file"], r["line"], r["field"]) for r in before] == [
        (str(bad_bundle.resolve()), "payments.csv", 6, "amount_yuan"),
        (str(bad_bundle.resolve()), "payments.csv", 7, "kind")]
    assert before[0]["raw"] == BAD_PAYMENTS.splitlines()[0]
    assert first.stored_quarantine is not None
    assert (first.stored_quarantine.stored, first.stored_quarantine.resolved) == (2, 0)

    second = load_bundle(engine, bad_bundle)
    after = _rows(engine)
    assert _without_last_seen(after) == _without_last_seen(before)  # same ids, keys and first_seen
    assert all(a["last_seen"] > b["last_seen"] for a, b in zip(after, before, strict=True))
    assert second.stored_quarantine is not None
    assert (second.stored_quarantine.stored, second.stored_quarantine.resolved) == (2, 0)


def test_a_fixed_row_leaves_the_quarantine_and_other_sources_stay(engine: Engine, bad_bundle: Path,
                                                                  tmp_path: Path) -> None:
    other = shutil.copytree(bad_bundle, tmp_path / "other")
    load_bundle(engine, other)
    load_bundle(engine, bad_bundle)
    kept_other = [r for r in _rows(engine) if r["source"] == str(other.resolve())]
    assert len(kept_other) == 2
    still_bad = next(r for r in _rows(engine) if r["source"] == str(bad_bundle.resolve()) and r["line"] == 7)

    payments = bad_bundle / "payments.csv"
    payments.write_text(payments.read_text(encoding="utf-8").replace('"-3.00"', '"3.00"'), encoding="utf-8")
    report = load_bundle(engine, bad_bundle)

    assert report.stored_quarantine is not None
    assert (report.stored_quarantine.stored, report.stored_quarantine.resolved) == (1, 1)
    mine = [r for r in _rows(engine) if r["source"] == str(bad_bundle.resolve())]
    assert _without_last_seen(mine) == _without_last_seen([still_bad])  # the unfixed row kept its id and first_seen
    assert [r for r in _rows(engine) if r["source"] == str(other.resolve())] == kept_other
    assert any(p.as_py() == "bad1" for p in _payment_ids(engine))  # the fixed row is loaded now


def _payment_ids(engine: Engine) -> list[Any]:
    from redline.store import tables_from_store

    return list(tables_from_store(engine).payments.column("payment_id"))


def test_a_clean_load_empties_the_quarantine_of_its_source(engine: Engine, bad_bundle: Path) -> None:
    load_bundle(engine, bad_bundle, name="export.zip")
    payments = bad_bundle / "payments.csv"
    payments.write_text("".join(payments.read_text(encoding="utf-8").splitlines(keepends=True)[:5]), encoding="utf-8")
    report = load_bundle(engine, bad_bundle, name="export.zip")
    assert report.stored_quarantine is not None
    assert (report.stored_quarantine.stored, report.stored_quarantine.resolved) == (0, 2)
    assert _rows(engine) == []


def test_a_row_with_a_nul_character_is_kept(engine: Engine, sample_bundle: Path) -> None:
    # NUL is valid UTF-8 but PostgreSQL text cannot hold it: the row is stored with ␀, the load goes on
    with (sample_bundle / "payments.csv").open("a", encoding="utf-8") as out:
        out.write('"bad\x00","2016-03-01T10:00:00+08:00","m1","p1","-3.00","red_packet",,,,,\n')
    report = load_bundle(engine, sample_bundle)
    assert len(report.quarantined) == 1
    assert [r["raw"][:7] for r in _rows(engine)] == ['"bad\u2400",']


def test_listing_filters_and_pages_newest_first(engine: Engine, bad_bundle: Path, tmp_path: Path) -> None:
    other = shutil.copytree(bad_bundle, tmp_path / "other")
    load_bundle(engine, bad_bundle, name="a.zip")
    load_bundle(engine, other, name="b.zip")
    with Session(engine) as session:
        assert quarantine_sources(session) == ["a.zip", "b.zip"]
        page = list_quarantined(session, limit=3)
        assert [(r.source, r.line) for r in page.rows] == [("b.zip", 7), ("b.zip", 6), ("a.zip", 7)]
        assert page.total == 4
        assert page.next_before is not None
        rest = list_quarantined(session, before=page.next_before, limit=3)
        assert [(r.source, r.line) for r in rest.rows] == [("a.zip", 6)]
        assert rest.next_before is None
        only_a = list_quarantined(session, source="a.zip", file="payments.csv")
        assert [(r.source, r.line) for r in only_a.rows] == [("a.zip", 7), ("a.zip", 6)]
        assert list_quarantined(session, source="a.zip", file="people.csv").total == 0


def test_the_migration_creates_the_table_exactly_as_the_model_says(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if "quarantined_rows" in repr(d)]
    assert diffs == []
