from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.external_member import ExternalMember, ExternalMemberConfig

TRIGGER = Trigger("XY-05", "XY-05#0", ExternalMemberConfig())


def _tables(kit, type_: str, classification: str, outsider: str = "x1"):  # type: ignore[no-untyped-def]
    k = kit
    people = [k.person("p1", "张三"), k.person("p2", "李四"),
              k.person("x1", "赵老板", "某建筑公司", official=False, external=True)]
    return k.make(
        people=people,
        groups=[k.group("g", "工作群", "p1", type_=type_, classification=classification)],
        memberships=[k.member("g", "p1", None), k.member("g", "p2", None), k.member("g", outsider, None)],
        messages=[k.msg("m1", "2026-03-01T09:00:00+08:00", "g", outsider, "领导好")],
    )


@pytest.mark.parametrize(("type_", "classification", "outsider", "severity"), [
    ("department", "", "x1", ""),           # "": the rule's severity applies
    ("leadership", "", "x1", ""),
    ("task", "internal", "x1", ""),
    ("task", "机密", "x1", "critical"),      # an outsider in a classified group is always critical
    ("department", "", "nobody", ""),       # not in the roster at all
], ids=["department", "leadership", "internal-task", "classified", "unknown-person"])
def test_outsider_in_internal_group_is_found(kit, type_, classification, outsider, severity) -> None:  # type: ignore[no-untyped-def]
    [f] = ExternalMember().analyze(_tables(kit, type_, classification, outsider), [TRIGGER])
    assert (f.kind, f.person_id, f.severity, f.facts["message_ids"]) == (
        "external_member", outsider, severity, ["m1"])
    assert outsider in f.reason
    assert "m1" in f.reason


@pytest.mark.parametrize(("type_", "classification"), [("liaison", ""), ("task", "公开"), ("social", "")],
                         ids=["liaison", "open-task", "social"])
def test_outsider_in_open_group_is_not_found(kit, type_, classification) -> None:  # type: ignore[no-untyped-def]
    assert ExternalMember().analyze(_tables(kit, type_, classification), [TRIGGER]) == []
