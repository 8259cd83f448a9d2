"""The demo county's planted governance cases, found by the packs' group rules end to end."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

from redline.bundle import read_bundle
from redline.cli.groups import audit_tables, group_triggers
from redline.contracts import BundleTables, Finding, Trigger
from redline.groups.faction import Faction, FactionConfig

SH = ZoneInfo("Asia/Shanghai")
CIRCLE = ["P10006", "P12003", "P14003", "P17003", "P18003"]  # five units; P10006 is promoted (E013)


@pytest.fixture(scope="module")
def demo(demo_bundle: Any) -> tuple[BundleTables, dict[str, Any], list[Finding]]:
    tables = read_bundle(demo_bundle.bundle_path).tables
    triggers, plan = group_triggers("all", None, defaults=False)
    return tables, demo_bundle.planted, audit_tables(tables, triggers, plan)


def _found(findings: list[Finding], kind: str, group: str, person: str | None = None) -> list[Finding]:
    return [f for f in findings if f.kind == kind and f.facts.get("group_id") == group
            and (person is None or f.person_id == person)]


def test_every_planted_governance_case_is_found(demo) -> None:  # type: ignore[no-untyped-def]
    _, planted, findings = demo
    cases = planted["cases"]
    c = cases["classified_notice"]
    [f] = _found(findings, "classified_content", c["group_id"], c["person_id"])[:1]
    assert c["message_ids"][0] in f.facts["message_ids"]
    for m in cases["stale_members"]["members"]:
        assert _found(findings, "stale_member", m["old_unit_group"], m["person_id"]), m
    assert _found(findings, "unregistered_group", cases["unregistered_group"]["group_id"])
    assert _found(findings, "no_owner", cases["no_owner"]["group_id"])
    for pid in cases["display_names"]["person_ids"]:
        assert _found(findings, "display_name", cases["display_names"]["group_id"], pid)
    ext = cases["external_member"]
    assert _found(findings, "external_member", ext["group_id"], ext["person_id"])
    fl = cases["owner_flattery"]
    praised = [f for f in _found(findings, "flattery", fl["group_id"]) if f.subject_id in fl["message_ids"]]
    assert praised  # the text engine's flattery words catch one of the three lines (see README)
    gap = cases["daily_report_gap"]
    [d] = _found(findings, "daily_report_missed", gap["group_id"], gap["person_id"])
    assert d.facts["last_report"] == gap["last_report_date"]


def test_near_misses_are_not_flagged(demo) -> None:  # type: ignore[no-untyped-def]
    _, planted, findings = demo
    nm = planted["near_misses"]
    assert not [f for f in findings if f.person_id == nm["moved_and_left"]["person_id"]]
    assert not [f for f in findings if f.kind == "external_member"
                and f.facts.get("group_id") == nm["liaison_externals"]["group_id"]]
    assert not [f for f in findings if set(f.facts.get("message_ids", [])) & set(nm["secrecy_meeting"]["message_ids"])]


def test_ordinary_groups_raise_no_unexplained_findings(demo) -> None:  # type: ignore[no-untyped-def]
    _, planted, findings = demo
    people: set[str] = set()
    for case in planted["cases"].values():
        people |= {case.get("person_id"), case.get("owner_id"), *case.get("person_ids", [])}
    planted_groups = {c["group_id"] for c in planted["cases"].values() if c.get("group_id")}
    planted_groups |= set(planted["cases"]["stale_members"]["group_ids"])
    # A finding on an ordinary group is explained if it is about a planted person (a member
    # who moved shows the old unit in other groups too; a reporter who stopped, stopped everywhere).
    unexplained = [f for f in findings if f.facts.get("group_id") not in planted_groups
                   and f.person_id not in people]
    assert unexplained == []


def _plant_circle(tables: BundleTables) -> BundleTables:
    """Append a 老乡会: five officials of five units, packets and canvassing before E013."""
    def add(table: pa.Table, rows: list[dict[str, Any]]) -> pa.Table:
        return pa.concat_tables([table, pa.Table.from_pylist(rows, schema=table.schema)])

    groups = add(tables.groups, [{"group_id": "G099", "name": "渭北老乡会", "type": "social", "owner_id": CIRCLE[0],
                                  "registered": False, "classification": "", "daily_report": False}])
    members = add(tables.memberships, [{"group_id": "G099", "person_id": p, "display_name": p,
                                        "joined": date(2023, 12, 1), "left": None} for p in CIRCLE])
    lines = ["下个月提拔推荐，老余这次的关键一票大家一定要投", "推荐的时候咱们抱团，都写老余的名字",
             "放心，民主推荐我帮你拉票", "自己人的事就是大家的事", "收到，推荐一下我们老余"]
    t0 = datetime(2024, 1, 20, 21, 0, tzinfo=SH)
    msgs = add(tables.messages, [{"id": f"mt-circle-{i}", "time": t0 + timedelta(minutes=3 * i), "conversation": "G099",
                                  "sender": CIRCLE[i], "type": "text", "text": line, "attachment": None}
                                 for i, line in enumerate(lines)])
    pays = add(tables.payments, [{"payment_id": f"pt-circle-{i}", "time": t0 + timedelta(days=i), "payer": CIRCLE[0],
                                  "payee": p, "amount_fen": 20000, "kind": "red_packet", "channel": "wechat",
                                  "conversation": "G099", "memo": "新年快乐", "status": "received", "packet_id": None}
                                 for i, p in enumerate(CIRCLE[1:])])
    return BundleTables(tables.people, tables.relations, groups, members, msgs, pays, tables.events)


def test_a_planted_circle_is_found_and_the_demo_has_none(demo, kit) -> None:  # type: ignore[no-untyped-def]
    tables, _, findings = demo
    assert [f for f in findings if f.kind == "faction"] == []
    trigger = Trigger("TJ-05", "TJ-05#3", FactionConfig())
    [f] = kit.analyzer(Faction, [trigger], stand_ins=False).analyze(_plant_circle(tables), [trigger])
    assert f.facts["members"] == sorted(CIRCLE)
    assert f.person_id == "P10006"
    assert f.facts["event"]["event_id"] == "E013"
    assert {f"pt-circle-{i}" for i in range(4)} <= set(f.facts["payment_ids"])  # and any other in the window
    assert f.facts["message_ids"]  # canvassing words found by the registry's detectors
    assert "渭北老乡会" in f.reason
