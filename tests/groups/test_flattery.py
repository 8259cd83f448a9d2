from __future__ import annotations

import pytest

from redline.contracts import Trigger
from redline.groups.flattery import Flattery, FlatteryConfig, address_forms

PRAISE = ["高瞻远瞩", "讲得太好了", "英明"]
TRIGGER = Trigger("WH-03", "WH-03#0", FlatteryConfig(detectors={"flattery": {"terms": PRAISE}}))


def _tables(kit, *messages):  # type: ignore[no-untyped-def]
    k = kit
    return k.make(
        people=[k.person("boss", "陈一新", "市委办公室", "市委书记"), k.person("p2", "李四"), k.person("p3", "王五")],
        groups=[k.group("g", "市委常委群", "boss", type_="leadership"),
                k.group("s", "同学群", "p2", type_="social")],
        memberships=[k.member("g", p, None) for p in ("boss", "p2", "p3")] + [k.member("s", "p2", None)],
        messages=list(messages),
    )


@pytest.mark.parametrize(("text", "named"), [
    ("陈书记高瞻远瞩，我们深受教育", "陈书记"),
    ("书记讲得太好了", "书记"),
    ("群主英明！", "群主"),
    ("陈一新同志讲得太好了", "陈一新"),
], ids=["surname-title", "title", "owner-word", "full-name"])
def test_praise_naming_the_owner_is_found(kit, text, named) -> None:  # type: ignore[no-untyped-def]
    tables = _tables(kit, kit.msg("m1", "2026-03-02T09:00:00+08:00", "g", "p2", text))
    [f] = kit.analyzer(Flattery, [TRIGGER]).analyze(tables, [TRIGGER])
    assert (f.kind, f.person_id, f.subject_id, f.facts["addressed_as"]) == ("flattery", "p2", "m1", named)
    assert "陈一新(boss)" in f.reason


def test_praise_answering_the_owner_is_found(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = _tables(kit, k.msg("m1", "2026-03-02T09:00:00+08:00", "g", "boss", "今天部署三项工作"),
                     k.msg("m2", "2026-03-02T09:03:00+08:00", "g", "p2", "讲得太好了"))
    [f] = kit.analyzer(Flattery, [TRIGGER]).analyze(tables, [TRIGGER])
    assert f.facts["message_ids"] == ["m2", "m1"]
    assert f.facts["answers"] == "m1"


@pytest.mark.parametrize("messages", [
    [("m1", "09:00", "g", "p3", "今天部署三项工作"), ("m2", "09:03", "g", "p2", "讲得太好了")],  # praises a colleague
    [("m1", "09:00", "g", "boss", "今天部署三项工作"), ("m2", "10:30", "g", "p2", "讲得太好了")],  # too late to be an answer
    [("m1", "09:00", "g", "p2", "收到，马上落实")],                                             # no praise
    [("m1", "09:00", "g", "boss", "书记讲得太好了")],                                           # the owner himself
    [("m1", "09:00", "s", "p3", "群主英明")],                                                   # social group
], ids=["colleague", "late", "no-praise", "owner-self", "social"])
def test_other_messages_are_not_found(kit, messages) -> None:  # type: ignore[no-untyped-def]
    msgs = [kit.msg(i, f"2026-03-02T{t}:00+08:00", g, s, x) for i, t, g, s, x in messages]
    assert kit.analyzer(Flattery, [TRIGGER]).analyze(_tables(kit, *msgs), [TRIGGER]) == []


def test_address_forms() -> None:
    assert address_forms("张三", "副县长", "政府办-张三", ["群主"]) == [
        "张三", "政府办-张三", "张县长", "张县", "县长", "群主"]


def test_with_the_registry_detector(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = _tables(kit, k.msg("m1", "2026-03-02T09:00:00+08:00", "g", "p2", "陈书记高瞻远瞩，讲得太好了"),
                     k.msg("m2", "2026-03-02T09:10:00+08:00", "g", "p3", "收到，马上落实"))
    trigger = Trigger("WH-03", "WH-03#2", FlatteryConfig())
    found = kit.analyzer(Flattery, [trigger], stand_ins=False).analyze(tables, [trigger])
    assert [(f.subject_id, f.facts["addressed_as"]) for f in found] == [("m1", "陈书记")]


@pytest.mark.parametrize("weight", [1.0, 0.5, 0.0], ids=["default", "half", "off"])
def test_the_detector_weight_scales_the_score(kit, weight: float) -> None:  # type: ignore[no-untyped-def]
    """`weights.detector` (a pack can set it) multiplies the flattery detector's score."""
    tables = _tables(kit, kit.msg("m1", "2026-03-02T09:00:00+08:00", "g", "p2", "陈书记高瞻远瞩，我们深受教育"))
    [base] = kit.analyzer(Flattery, [TRIGGER]).analyze(tables, [TRIGGER])
    trigger = Trigger("WH-03", "WH-03#0", FlatteryConfig(detectors={"flattery": {"terms": PRAISE}},
                                                         weights={"detector": weight}))
    [f] = kit.analyzer(Flattery, [trigger]).analyze(tables, [trigger])
    assert 0.0 < base.score <= 1.0
    assert f.score == pytest.approx(weight * base.score)
