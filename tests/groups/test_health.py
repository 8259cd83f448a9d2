from __future__ import annotations

from redline.contracts import Trigger
from redline.groups.external_member import ExternalMember, ExternalMemberConfig
from redline.groups.health import health


def test_health_counts_members_owner_activity_and_findings(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(
        people=[k.person("p1", "张三"), k.person("p2", "李四", "税务局"),
                k.person("x1", "赵老板", "某公司", official=False, external=True)],
        groups=[k.group("g", "财政局工作群", "p1"), k.group("h", "闲聊群", None, type_="social", registered=False)],
        memberships=[k.member("g", "p1", None), k.member("g", "p2", None), k.member("g", "x1", None),
                     k.member("h", "p2", None, left="2026-01-10")],
        messages=[k.msg("m1", "2026-03-01T09:00:00+08:00", "g", "p1", "收到"),
                  k.msg("m2", "2026-03-02T09:00:00+08:00", "g", "x1", "领导好")],
    )
    findings = ExternalMember().analyze(tables, [Trigger("XY-06", "XY-06#4", ExternalMemberConfig())])
    g, h = health(tables, findings)
    assert (g.group_id, g.members, g.officials, g.outsiders, g.units, g.messages) == ("g", 3, 2, 1, 2, 2)
    assert (g.owner_id, g.owner_name, g.registered) == ("p1", "张三", True)
    assert g.findings == {"external_member": 1}
    assert g.total_findings == 1
    assert g.worst == "low"  # no rule severity given: counted as low
    assert g.as_dict()["last_message"].startswith("2026-03-02T09:00")
    assert (h.group_id, h.members, h.owner_id, h.findings, h.worst) == ("h", 0, None, {}, None)


def test_every_check_runs_on_a_bundle_with_people_only(kit) -> None:  # type: ignore[no-untyped-def]
    from redline.registry import RECORD_ANALYZERS

    tables = kit.make(people=[kit.person("p1", "张三")])
    for key, cls in RECORD_ANALYZERS.items():
        if key.startswith("groups."):
            trigger = Trigger(key, f"{key}#0", cls.Config())
            assert kit.analyzer(cls, [trigger], stand_ins=False).analyze(tables, [trigger]) == [], key
    assert health(tables) == []
