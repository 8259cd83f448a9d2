"""Payments on Spark (local[2]) give exactly the local engine's findings, row for row."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from redline.cli.payments import alert_record
from redline.contracts import BundleTables, Finding
from redline.rules.plan import ScanPlan
from redline.scan.records import run_record_analyzers
from redline.scan.spark_payments import analyze_spark, bucket_of, split_triggers
from redline.simulation.payments import TYPOLOGIES, Scenario, drop_relations, simulate

pytestmark = [pytest.mark.spark, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from redline.scan.spark import local_session

    session = local_session("local[2]", "redline-payments-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def plan() -> ScanPlan:
    """Every pack's payments.* triggers (what `redline payments analyze` runs)."""
    from redline.cli.packs import load_built

    full = load_built("all", None).plan
    return replace(full, record_triggers={k: v for k, v in full.record_triggers.items()
                                          if k.startswith("payments.") and v})


def local(plan: ScanPlan, tables: BundleTables) -> list[Finding]:
    """The local command's findings, in its order."""
    found = run_record_analyzers(plan, tables)
    return sorted((f for fs in found.values() for f in fs), key=lambda f: (-f.score, f.rule_id, f.subject_id))


def rows(findings: Sequence[Finding]) -> list[bytes]:
    """Whole alert lines (rule, person, payment ids, total, score, severity, reasons, facts)."""
    return sorted(orjson.dumps(alert_record(f), option=orjson.OPT_SORT_KEYS) for f in findings)


def order(findings: Sequence[Finding]) -> list[tuple[float, str, str]]:
    return [(f.score, f.rule_id, f.subject_id) for f in findings]


@pytest.mark.parametrize(("scenario", "dropped", "buckets"), [
    (Scenario(officials=60, months=12, cases_per_typology=6, seed=11), 0.0, 3),
    (Scenario(officials=40, months=24, cases_per_typology=4, seed=5), 0.5, 7),
], ids=["60-officials-12-months-3-buckets", "40-officials-24-months-half-managed-unlisted-7-buckets"])
def test_simulated_organisations_agree(spark: Any, plan: ScanPlan, scenario: Scenario, dropped: float,
                                       buckets: int) -> None:
    sim = simulate(scenario)
    if dropped:
        sim = drop_relations(sim, "managed", dropped)
    expected = local(plan, sim.tables)
    assert {f.kind for f in expected} == set(TYPOLOGIES)  # every typology has leads to compare
    got = analyze_spark(spark, sim.tables, plan, run=run_record_analyzers, buckets=buckets)
    assert rows(got) == rows(expected)
    assert order(got) == order(expected)


def test_demo_county_agrees_from_parquet(spark: Any, plan: ScanPlan, tmp_path: Path) -> None:
    from redline.bundle import read_bundle
    from redline.bundle.parquet import export_parquet
    from redline.demo import build_demo

    bundle = build_demo(tmp_path / "demo", scale=0.1).bundle_path
    expected = local(plan, read_bundle(bundle).tables)
    assert len({f.kind for f in expected}) >= 6
    export_parquet(bundle, tmp_path / "parquet")
    got = analyze_spark(spark, tmp_path / "parquet", plan, run=run_record_analyzers)
    assert rows(got) == rows(expected)


def _apart(prefix: str, n: int, buckets: int) -> list[str]:
    """n person ids that fall in n different buckets (so neighbourhoods must cross buckets)."""
    out: list[str] = []
    for i in range(1000):
        pid = f"{prefix}{i}"
        if bucket_of(pid, buckets) not in {bucket_of(p, buckets) for p in out}:
            out.append(pid)
        if len(out) == n:
            return out
    raise AssertionError("not enough buckets")


def test_rows_shared_across_buckets_are_seen_whole(spark: Any, plan: ScanPlan, ledger: Any) -> None:
    """Duplicate ids, a colleagues' packet, a relative and a non-official candidate, each
    needing rows that belong to other buckets' persons."""
    buckets = 16
    o1, o2, o3, o4, o5 = _apart("O", 5, buckets)
    for o in (o1, o2, o3, o4, o5):
        ledger.person(o, f"官员{o}", unit="粮食局")
    ledger.person("B1", "老板甲", official=False, external=True)
    ledger.person("B2", "老板乙", official=False, external=True)
    ledger.person("F2", "亲属乙", official=False, external=True)
    ledger.person("C1", "候选人", official=False, unit="村委会")
    ledger.relate(o1, "B1", "managed")
    ledger.relate(o2, "B2", "managed")
    ledger.relate(o2, "F2", "family")
    ledger.relate(o1, o3, "supplier")
    # D1 appears twice with different contents: the frame rejects both copies, wherever they are
    ledger.pay("B1", o1, 200, "2016-03-01T10:00:00", pid="D1")
    ledger.pay("B2", o2, 300, "2016-03-02T10:00:00", pid="D1")
    ledger.pay("B1", o1, 500, "2016-04-01T10:00:00", kind="transfer")  # a real managed-party gift
    # o3's lucky-draw packet in the unit group, claimed by o1, o4 and o5: custom, not a gift to o1
    for claimer, yuan in ((o1, 66), (o4, 50), (o5, 80)):
        ledger.pay(o3, claimer, yuan, "2016-05-01T20:00:00", conv="grp-1", packet="K1")
    # 亲属代收: the managed party pays o2's relative
    for day in ("2016-06-01", "2016-06-15", "2016-07-01"):
        ledger.pay("B2", "F2", 1000, f"{day}T09:00:00", kind="transfer")
    # a candidate who is no official pays six villagers just before the vote
    for i in range(6):
        ledger.person(f"V{i}", f"村民{i}", official=False, unit="村委会")
        ledger.pay("C1", f"V{i}", 200, "2016-08-20T09:00:00")
    ledger.event("EL1", "2016-09-01", "election", "C1", unit="村委会")
    tables = ledger.tables()
    expected = local(plan, tables)
    assert sorted({(f.kind, f.person_id) for f in expected}) == sorted(
        [("family_proxy", o2), ("managed_party_gifts", o1), ("vote_buying", "C1")])
    assert all("D1" not in f.related_ids for f in expected)
    got = analyze_spark(spark, tables, plan, run=run_record_analyzers, buckets=buckets)
    assert rows(got) == rows(expected)


def test_a_holiday_window_over_a_year_stays_local(plan: ScanPlan) -> None:
    [trigger, *_] = plan.record_triggers["payments.holiday_gifts"]
    wide = replace(trigger, config=trigger.config.model_copy(update={"days_before": 400}))
    exact, local_only = split_triggers({"payments.holiday_gifts": (wide, trigger)})
    assert exact == {"payments.holiday_gifts": (trigger,)}
    assert [(t.label, "festival window" in why) for t, why in local_only] == [(wide.label, True)]


def test_inferring_parties_from_colleagues_payments_stays_local(plan: ScanPlan) -> None:
    [trigger, *_] = plan.record_triggers["payments.managed_party_gifts"]
    wide = replace(trigger, config=trigger.config.model_copy(update={"infer_min_officials": 2}))
    exact, local_only = split_triggers({"payments.managed_party_gifts": (wide, trigger)})
    assert exact == {"payments.managed_party_gifts": (trigger,)}
    assert [(t.label, "whole unit" in why) for t, why in local_only] == [(wide.label, True)]


def test_cli_spark_engine_writes_the_local_alerts(spark: Any, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Through the real CLI, with one trigger Spark cannot run exactly: it runs locally, and says so."""
    from redline.cli import main

    bundle = tmp_path / "bundle"
    main(["payments", "simulate", "--out", str(bundle), "--officials", "30", "--months", "12", "--cases", "3"])
    capsys.readouterr()
    overrides = tmp_path / "org.yaml"
    overrides.write_text("rules:\n  TJ-06:\n    when:\n      payments.holiday_gifts: {days_before: 400}\n",
                         encoding="utf-8")
    err = {}
    for engine in ("local", "spark"):
        try:
            main(["payments", "analyze", str(bundle), "--engine", engine, "--master", "local[2]",
                  "--overrides", str(overrides), "-o", str(tmp_path / f"{engine}.jsonl")])
        except SystemExit as exc:
            pytest.fail(f"exit {exc.code}: {capsys.readouterr().err}")
        err[engine] = capsys.readouterr().err
    lines = (tmp_path / "local.jsonl").read_bytes().splitlines()
    assert len(lines) > 10
    assert any(b'"TJ-06"' in line and b"holiday_gifts" in line for line in lines)
    assert (tmp_path / "spark.jsonl").read_bytes().splitlines() == lines
    assert "holiday_gifts ran on the local engine" in " ".join(err["spark"].split())
