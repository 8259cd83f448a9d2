from __future__ import annotations

from redline.contracts import Trigger
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.stale_member import StaleMember, StaleMemberConfig
from redline.groups.unregistered import UnregisteredConfig
from redline.reasons import render
from redline.reasons.words import quote_ids, quote_ids_en
from redline.vocab import Subject

T = Trigger("XY-03", "XY-03#0", UnregisteredConfig())


def _facts(group: str, person: str) -> dict[str, object]:
    return {"person_id": person, "name": None, "group_id": group, "group_name": group, "problem": "missing",
            "display": "", "pattern": "{unit}-{name}", "shown": None, "real": None}


def _f(group: str, person: str, severity: str, ids: list[str]):  # type: ignore[no-untyped-def]
    return group_finding(T, detector="groups.x", kind="display_name", category="governance", severity=severity,
                         group_id=group, person_id=person, subject=Subject.PERSON, subject_id=person,
                         message_ids=ids, reason_key="groups.display_name", reason_facts=_facts(group, person))


def test_findings_on_one_subject_merge_and_others_stay() -> None:
    merged = merge_same_subject([_f("G1", "p1", "low", ["m1"]), _f("G2", "p1", "high", ["m2", "m1"]),
                                 _f("G1", "p2", "low", [])])
    assert [(f.subject_id, f.severity, f.facts.get("group_ids", None)) for f in merged] == [
        ("p1", "high", ["G1", "G2"]), ("p2", "low", None)]
    assert merged[0].facts["message_ids"] == ["m1", "m2"]
    assert merged[0].reason == "p1在工作群“G1”(G1)未设置群备注名，未按规定实名备注。p1在工作群“G2”(G2)未设置群备注名，未按规定实名备注。"
    g1_en, g2_en = render("groups.display_name", _facts("G1", "p1"))[1], render("groups.display_name", _facts("G2", "p1"))[1]
    assert merged[0].reason_en == f"{g1_en} {g2_en}"
    assert merged[0].facts["group_id"] == "G1"


def test_a_retired_member_of_two_groups_is_one_lead(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(
        people=[k.person("p1", "张三"), k.person("r1", "赵六", end="2025-12-31")],
        groups=[k.group("g1", "财政局工作群", "p1"), k.group("g2", "专项工作群", "p1", type_="task")],
        memberships=[k.member(g, p, None) for g in ("g1", "g2") for p in ("p1", "r1")],
        messages=[k.msg("m1", "2026-06-30T09:00:00+08:00", "g1", "p1", "收到")],
    )
    [f] = StaleMember().analyze(tables, [Trigger("XY-04", "XY-04#0", StaleMemberConfig())])
    assert (f.person_id, f.facts["group_ids"]) == ("r1", ["g1", "g2"])
    assert "财政局工作群" in f.reason
    assert "专项工作群" in f.reason


def test_id_lists_are_shortened_for_sentences() -> None:
    ids = [f"m{i}" for i in range(7)]
    assert quote_ids(ids) == "m0、m1、m2、m3、m4 等 7 项"
    assert quote_ids_en(ids) == "m0, m1, m2, m3, m4 and 2 more"
    assert quote_ids(["机密★1年\n县委办"]) == "机密★1年 县委办"
