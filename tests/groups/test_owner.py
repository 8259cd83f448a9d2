from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.owner import Owner, OwnerConfig

TRIGGER = Trigger("XY-02", "XY-02#0", OwnerConfig())


def _tables(kit, owner: str | None, owner_row=None, owner_member: bool = True, type_: str = "department",
            owner_left: str | None = None):  # type: ignore[no-untyped-def]
    k = kit
    people = [k.person("p1", "张三"), k.person("p2", "李四"), k.person("p3", "王五")]
    if owner_row is not None:
        people.append(owner_row)
    mem = [k.member("g", p, None) for p in ("p1", "p2", "p3")]
    if owner and owner_member and owner not in ("p1", "p2", "p3"):
        mem.append(k.member("g", owner, None, left=owner_left))
    return k.make(people=people, groups=[k.group("g", "财政局工作群", owner, type_=type_)],
                  memberships=mem,
                  messages=[k.msg("m1", "2026-03-01T09:00:00+08:00", "g", "p1", "收到")])


@pytest.mark.parametrize(("owner", "row", "left", "problem"), [
    (None, None, None, "missing"),
    ("ghost", None, None, "unknown"),
    ("x1", {"person_id": "x1", "name": "赵老板", "unit": "某公司", "is_official": False, "external": True}, None, "external"),
    ("c1", {"person_id": "c1", "name": "临时工", "unit": "财政局", "is_official": False, "external": False}, None, "not_official"),
    ("o1", {"person_id": "o1", "name": "钱局长", "unit": "财政局", "is_official": True, "end_date": "2026-01-31"}, None, "post_ended"),
    ("o2", {"person_id": "o2", "name": "孙局长", "unit": "财政局", "is_official": True}, "2026-02-01", "owner_left"),
    ("o3", {"person_id": "o3", "name": "周局长", "unit": "税务局", "is_official": True}, None, "other_unit"),
], ids=["missing", "unknown", "external", "not_official", "post_ended", "owner_left", "other_unit"])
def test_unfit_owner_is_found(kit, owner, row, left, problem) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    if row and row.get("end_date"):
        row = {**row, "end_date": date.fromisoformat(row["end_date"])}
    findings = Owner().analyze(_tables(kit, owner, row, owner_left=left), [TRIGGER])
    assert [(f.kind, f.subject_id, f.facts["problem"]) for f in findings] == [("no_owner", "g", problem)]
    assert "财政局工作群" in findings[0].reason
    assert findings[0].reason_en


def test_fit_owner_is_not_found(kit) -> None:  # type: ignore[no-untyped-def]
    assert Owner().analyze(_tables(kit, "p1"), [TRIGGER]) == []


def test_owner_missing_from_the_export_is_not_a_breach(kit) -> None:  # type: ignore[no-untyped-def]
    row = {"person_id": "o2", "name": "孙局长", "unit": "财政局", "is_official": True}
    assert Owner().analyze(_tables(kit, "o2", row, owner_member=False), [TRIGGER]) == []


def test_other_unit_owner_is_fine_in_a_task_group(kit) -> None:  # type: ignore[no-untyped-def]
    row = {"person_id": "o3", "name": "周局长", "unit": "税务局", "is_official": True}
    assert Owner().analyze(_tables(kit, "o3", row, type_="task"), [TRIGGER]) == []


def test_unregistered_groups_are_left_to_the_registry_check(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(people=[k.person("p1", "张三")],
                    groups=[k.group("g", "群", None, registered=False)],
                    memberships=[k.member("g", "p1", None)])
    assert Owner().analyze(tables, [TRIGGER]) == []
    loose = Trigger("XY-02", "XY-02#0", OwnerConfig(registered_only=False))
    assert [f.facts["problem"] for f in Owner().analyze(tables, [loose])] == ["missing"]
