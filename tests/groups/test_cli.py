"""`redline groups audit|health` end to end on a small bundle written to disk."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from redline.bundle import write_bundle
from redline.cli import main


@pytest.fixture
def bundle_dir(kit, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    k = kit
    t = k.make(
        people=[k.person("p1", "张三"), k.person("p2", "李四"), k.person("p3", "王五"),
                k.person("x1", "赵老板", "某公司", official=False, external=True)],
        groups=[k.group("G1", "财政局工作群", "p1"), k.group("G2", "项目对接群", "p1", registered=False, type_="other")],
        memberships=[k.member("G1", p, f"财政局-{n}") for p, n in (("p1", "张三"), ("p2", "李四"), ("p3", "王五"))]
        + [k.member("G1", "x1", "赵老板")] + [k.member("G2", p, None) for p in ("p1", "p2", "p3")],
        messages=[k.msg("m1", "2026-03-02T09:00:00+08:00", "G1", "p2", "机密★1年 关于调整班子的请示")],
    )
    out = tmp_path / "bundle"
    write_bundle(out, {name: getattr(t, name) for name in
                       ("people", "relations", "groups", "memberships", "messages", "payments", "events")})
    return out


def test_audit_writes_design_format(bundle_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    main(["groups", "audit", str(bundle_dir), "--output", str(out)])
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    head = ["rule_id", "kind", "group_id", "person_id", "message_ids", "severity", "reason"]
    assert all(list(r)[:7] == head for r in records)
    got = sorted((r["rule_id"], r["kind"], r["group_id"], r["person_id"]) for r in records)
    assert ("XY-01", "unregistered_group", "G2", None) in got
    assert ("XY-06", "external_member", "G1", "x1") in got
    assert ("WH-02", "classified_content", "G1", "p2") in got
    assert all(r["severity"] and r["pack"] for r in records)  # completed from the rule


def test_audit_defaults_and_health(bundle_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.jsonl"
    main(["groups", "audit", str(bundle_dir), "--output", str(out), "--defaults"])
    rules = {orjson.loads(line)["rule_id"] for line in out.read_bytes().splitlines()}
    assert "groups.unregistered" in rules
    main(["groups", "health", str(bundle_dir), "--defaults", "--json"])
    rows = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["group_id"], r["members"]) for r in rows] == [("G1", 4), ("G2", 3)]
    assert rows[1]["findings"] == {"display_name": 3, "unregistered_group": 1}  # no 实名备注 in G2 either


def test_missing_bundle_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["groups", "audit", str(tmp_path / "nope"), "--output", str(tmp_path / "f.jsonl")])
    assert exc.value.code == 2
    assert "no such bundle" in capsys.readouterr().err
