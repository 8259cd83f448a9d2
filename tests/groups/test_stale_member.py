from __future__ import annotations

from redline.contracts import Trigger
from redline.groups.stale_member import StaleMember, StaleMemberConfig

TRIGGER = Trigger("XY-04", "XY-04#0", StaleMemberConfig(grace_days=30))


def _tables(kit, *people, memberships=None):  # type: ignore[no-untyped-def]
    k = kit
    base = [k.person("p1", "张三"), k.person("p2", "李四"), k.person("p3", "王五")]
    mem = memberships or [k.member("g", p["person_id"], None, joined="2025-06-01") for p in [*base, *people]]
    return k.make(
        people=[*base, *people], groups=[k.group("g", "财政局工作群", "p1")], memberships=mem,
        messages=[k.msg("m1", "2026-01-10T09:00:00+08:00", "g", "r1", "我还在看群"),
                  k.msg("m2", "2026-06-30T09:00:00+08:00", "g", "p1", "今天工作进展如下")],
    )


def test_retired_member_still_in_group_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    retired = kit.person("r1", "赵六", end="2025-12-31")
    [f] = StaleMember().analyze(_tables(kit, retired), [TRIGGER])
    assert (f.kind, f.person_id, f.facts["problem"], f.facts["message_ids"]) == (
        "stale_member", "r1", "post_ended", ["m1"])
    assert "2025-12-31" in f.reason
    assert "30 天" in f.reason
    assert "m1" in f.reason


def test_member_within_grace_period_is_not_found(kit) -> None:  # type: ignore[no-untyped-def]
    recent = kit.person("r1", "赵六", end="2026-06-10")  # as_of 2026-06-30: 20 days
    assert StaleMember().analyze(_tables(kit, recent), [TRIGGER]) == []


def test_member_who_left_in_time_is_not_found(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    retired = k.person("r1", "赵六", end="2025-12-31")
    mem = [k.member("g", p, None, joined="2025-06-01") for p in ("p1", "p2", "p3")]
    mem.append(k.member("g", "r1", None, joined="2025-06-01", left="2026-01-15"))
    assert StaleMember().analyze(_tables(kit, retired, memberships=mem), [TRIGGER]) == []


def test_member_who_left_late_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    retired = k.person("r1", "赵六", end="2025-12-31")
    mem = [k.member("g", p, None, joined="2025-06-01") for p in ("p1", "p2", "p3")]
    mem.append(k.member("g", "r1", None, joined="2025-06-01", left="2026-04-01"))
    [f] = StaleMember().analyze(_tables(kit, retired, memberships=mem), [TRIGGER])
    assert f.person_id == "r1"
    assert "2026-04-01" in f.reason


def test_member_moved_to_another_unit_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    moved = kit.person("r1", "赵六", "税务局", start="2026-02-01")
    [f] = StaleMember().analyze(_tables(kit, moved), [TRIGGER])
    assert (f.person_id, f.facts["problem"], f.facts["group_unit"]) == ("r1", "moved_unit", "财政局")


def test_member_who_joined_after_the_move_is_not_stale(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    liaison = k.person("r1", "赵六", "税务局", start="2025-01-01")  # joined later, on purpose
    assert StaleMember().analyze(_tables(kit, liaison), [TRIGGER]) == []
