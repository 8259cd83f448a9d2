"""A new payment re-analyses its people at once, and only them (pipeline.concerns)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from tests.pipeline.wecom_lines import packet

from redline.bundle import write_bundle
from redline.pipeline.concerns import GLOBAL_ANALYZERS, Concerns, local_plan, tables_concerning
from redline.pipeline.spool import Spool
from redline.pipeline.watcher import Watcher
from redline.rules.plan import ScanPlan
from redline.scan.records import run_record_analyzers
from redline.store import finding_key, load_bundle, make_engine, migrate, tables_from_store
from redline.store.tables.findings import FindingRow
from redline.store.tables.org import Person
from redline.store.tables.review import Alert


def _person(pid: str, name: str, official: bool, unit: str = "粮食局") -> dict[str, Any]:
    return {"person_id": pid, "name": name, "unit": unit, "post": "科长" if official else "", "is_official": official,
            "external": False, "start_date": date(2020, 1, 1), "end_date": None}


def _store(db_url: str, tmp: Path) -> Engine:
    engine = migrate(make_engine(db_url))
    roster = write_bundle(tmp / "roster", {"people": [
        _person("li-ju", "李某", True), _person("trader", "粮商某", False, ""),
        _person("wang", "王某", True, "财政局"), _person("zhao", "赵某", False, ""),
    ]})
    load_bundle(engine, roster)
    return engine


def _repeated(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(FindingRow.person_id).where(FindingRow.detector == "payments.repeated_gifts"))
                   .scalars())


def test_the_third_packet_from_the_same_trader_raises_the_lead_when_it_arrives(
    db_url: str, tmp_path: Path, plan: ScanPlan,
) -> None:
    engine = _store(db_url, tmp_path)
    spool = tmp_path / "spool"
    spool.mkdir()
    archive = spool / "archive.jsonl"
    watcher = Watcher(engine, plan, [Spool(spool)], name="test", global_every=1e9)
    watcher.catch_up()
    # zhao pays wang now and then: a pair the trader's packets do not concern
    archive.write_text(packet("p1", "trader", "li-ju", 20_000, day=0) + packet("p2", "trader", "li-ju", 20_000, day=30)
                       + "".join(packet(f"z{i}", "zhao", "wang", 20_000, day=10 * i) for i in range(5)),
                       encoding="utf-8")
    watcher.poll()
    assert _repeated(engine) == {"wang"}  # two packets are not yet a series; zhao's five are
    with archive.open("a", encoding="utf-8") as handle:
        handle.write(packet("p3", "trader", "li-ju", 20_000, day=60))
    report = watcher.poll()
    assert report.rows == 2  # the packet is a message and a payment
    assert _repeated(engine) == {"wang", "li-ju"}
    with engine.connect() as conn:
        people = dict(conn.execute(select(Person.person_id, Person.name)).all())
        alerted = set(conn.execute(select(Alert.person_id).where(Alert.subject == "payment")).scalars())
    assert "li-ju" in alerted
    # the archive named trader and li-ju by id only: the roster's names were kept
    assert people["li-ju"] == "李某"
    assert people["trader"] == "粮商某"
    # what the incremental runs stored is what one full run finds
    full = run_record_analyzers(local_plan(plan), tables_from_store(engine))
    with engine.connect() as conn:
        stored = set(conn.execute(select(FindingRow.key).where(FindingRow.subject != "message")).scalars())
    assert {finding_key(f) for found in full.values() for f in found} <= stored
    engine.dispose()


@pytest.mark.parametrize(("concerns", "payers"), [
    (Concerns(people=frozenset({"trader"})), {"trader"}),
    (Concerns(people=frozenset({"wang"})), {"zhao"}),
    (Concerns(people=frozenset({"nobody"})), set()),
])
def test_only_the_rows_of_whom_new_rows_concern_are_read(
    db_url: str, tmp_path: Path, concerns: Concerns, payers: set[str],
) -> None:
    engine = _store(db_url, tmp_path)
    when = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    payments = [{"payment_id": f"{a}-{i}", "time": when, "payer": a, "payee": b, "amount_fen": 100, "kind": "transfer",
                 "channel": "wechat", "conversation": "", "memo": "", "status": "paid", "packet_id": ""}
                for i, (a, b) in enumerate([("trader", "li-ju"), ("zhao", "wang"), ("trader", "li-ju")])]
    load_bundle(engine, write_bundle(tmp_path / "pay", {"payments": payments}))
    tables = tables_concerning(engine, concerns)
    assert set(tables.payments.column("payer").to_pylist()) == payers
    named = set(tables.people.column("person_id").to_pylist())
    assert named >= payers
    assert "zhao" not in named or "zhao" in payers or "wang" in concerns.people
    engine.dispose()


def test_the_whole_store_analyses_are_not_run_on_a_part(plan: ScanPlan) -> None:
    assert set(plan.record_triggers) >= GLOBAL_ANALYZERS
    assert not GLOBAL_ANALYZERS & set(local_plan(plan).record_triggers)
