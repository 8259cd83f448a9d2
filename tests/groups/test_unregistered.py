from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.unregistered import Unregistered, UnregisteredConfig


def _trigger(**cfg: object) -> Trigger:
    return Trigger("XY-01", "XY-01#0", UnregisteredConfig.model_validate(cfg))


@pytest.fixture
def tables(kit):  # type: ignore[no-untyped-def]
    k = kit
    people = [k.person("p1", "张三"), k.person("p2", "李四", "税务局"), k.person("p3", "王五"),
              k.person("x1", "赵老板", "某公司", official=False, external=True)]
    groups = [k.group("g_reg", "财政局工作群", "p1"),
              k.group("g_unreg", "项目对接群", "p1", registered=False, type_="other"),
              k.group("g_two", "两人群", "p1", registered=False, type_="other"),
              k.group("g_family", "家人群", "p1", registered=False, type_="social")]
    mem = [k.member(g, p, None) for g in ("g_reg", "g_unreg", "g_family") for p in ("p1", "p2", "p3")]
    mem += [k.member("g_two", "p1", None), k.member("g_two", "p2", None), k.member("g_two", "x1", None),
            k.member("g_unreg", "x1", None)]
    return k.make(people=people, groups=groups, memberships=mem)


def test_unregistered_group_with_three_officials_is_found(tables) -> None:  # type: ignore[no-untyped-def]
    findings = Unregistered().analyze(tables, [_trigger()])
    assert [(f.kind, f.subject_id, f.facts["officials"]) for f in findings] == [
        ("unregistered_group", "g_unreg", ["p1", "p2", "p3"])]
    f = findings[0]
    assert f.rule_id == "XY-01"
    assert f.label == "XY-01#0"
    assert "张三(p1)" in f.reason
    assert "项目对接群" in f.reason
    assert "2 个单位" in f.reason
    assert "not in the work-group registry" in f.reason_en


def test_registered_social_and_small_groups_are_not_found(tables) -> None:  # type: ignore[no-untyped-def]
    # g_reg registered, g_family declared social, g_two has only two officials (x1 is external)
    assert [f.subject_id for f in Unregistered().analyze(tables, [_trigger()])] == ["g_unreg"]


def test_threshold_is_tunable(tables) -> None:  # type: ignore[no-untyped-def]
    found = Unregistered().analyze(tables, [_trigger(min_officials=2, exempt_types=[])])
    assert sorted(f.subject_id for f in found) == ["g_family", "g_two", "g_unreg"]


def test_members_who_left_do_not_count(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(
        people=[k.person("p1", "张三"), k.person("p2", "李四"), k.person("p3", "王五")],
        groups=[k.group("g", "群", "p1", registered=False, type_="other")],
        memberships=[k.member("g", "p1", None), k.member("g", "p2", None),
                     k.member("g", "p3", None, left="2026-01-10")],
        messages=[k.msg("m1", "2026-03-01T09:00:00+08:00", "g", "p1", "好")],
    )
    assert Unregistered().analyze(tables, [_trigger()]) == []
