from __future__ import annotations

import pytest
from pydantic import ValidationError

from redline.contracts import Trigger
from redline.groups.display_name import DisplayName, DisplayNameConfig, pattern_regex


def _run(kit, display: str | None, **cfg: object):  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(
        people=[k.person("p1", "张三", "咸阳市财政局", "科长"), k.person("p9", "群主", "咸阳市财政局")],
        groups=[k.group("g", "财政局工作群", "p9")],
        memberships=[k.member("g", "p1", display), k.member("g", "p9", "财政局-群主")],
    )
    trigger = Trigger("XY-03", "XY-03#0", DisplayNameConfig.model_validate(cfg))
    found = DisplayName().analyze(tables, [trigger])
    return [(f.person_id, f.facts["problem"]) for f in found if f.person_id == "p1"]


@pytest.mark.parametrize(("display", "expected"), [
    ("财政局-张三", []),
    ("咸阳市财政局-张三", []),
    ("财政局－张三", []),          # full-width dash folds under NFKC
    ("财政局 张三", []),
    (" 财政局_张三 ", []),
    ("张三", [("p1", "pattern")]),
    ("小张同学", [("p1", "pattern")]),
    (None, [("p1", "missing")]),
    ("", [("p1", "missing")]),
    ("财政局-李四", [("p1", "name_mismatch")]),
    ("税务局-张三", [("p1", "unit_mismatch")]),
    ("咸财-张三", []),              # 简称: characters of the full name, in order
    ("财咸-张三", [("p1", "unit_mismatch")]),
], ids=["ok", "full-unit", "fullwidth-dash", "space", "underscore", "name-only", "nickname",
        "null", "empty", "other-name", "other-unit", "short-form", "scrambled"])
def test_default_pattern(kit, display, expected) -> None:  # type: ignore[no-untyped-def]
    assert _run(kit, display) == expected


def test_exact_unit_rejects_abbreviation(kit) -> None:  # type: ignore[no-untyped-def]
    assert _run(kit, "财政局-张三", unit_match="exact") == [("p1", "unit_mismatch")]
    assert _run(kit, "咸阳市财政局-张三", unit_match="exact") == []


def test_custom_pattern_with_post(kit) -> None:  # type: ignore[no-untyped-def]
    assert _run(kit, "张三-科长", pattern="{name}-{post}") == []
    assert _run(kit, "张三-处长", pattern="{name}-{post}") == [("p1", "post_mismatch")]
    assert _run(kit, "财政局-张三", pattern="{name}-{post}") == [("p1", "name_mismatch")]


def test_reason_names_person_group_and_display(kit) -> None:  # type: ignore[no-untyped-def]
    k = kit
    tables = k.make(people=[k.person("p1", "张三")], groups=[k.group("g", "财政局工作群", "p1")],
                    memberships=[k.member("g", "p1", "老张")])
    [f] = DisplayName().analyze(tables, [Trigger("XY-03", "XY-03#0", DisplayNameConfig())])
    assert f.kind == "display_name"
    assert f.facts["group_id"] == "g"
    assert "张三(p1)" in f.reason
    assert "老张" in f.reason
    assert "财政局工作群" in f.reason


@pytest.mark.parametrize("bad", ["{unit}", "{unit}{name}", "{name}-{name}"])
def test_bad_patterns_are_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        DisplayNameConfig(pattern=bad)


def test_pattern_regex_shape() -> None:
    assert pattern_regex("{unit}-{name}").startswith("^(?P<unit>")
