"""The demo county's findings, digested: a refactor must leave every finding (reasons included) unchanged.

The demo county (small scale) is built and loaded with `redline demo`, scanned with
`redline scan` over the shipped packs, and every stored finding is reduced to its
observable fields. The digest is compared with `demo_findings.json`, recorded from the
code before the issue-14 redesign. When a change is *meant* to alter findings, re-record
with `REDLINE_RECORD_GOLDEN=1` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from redline.cli import main
from redline.store import make_engine
from redline.store.tables.findings import FindingRow

GOLDEN = Path(__file__).with_name("demo_findings.json")
CLI_GOLDEN = Path(__file__).with_name("demo_cli_findings.json")
SCALE = "0.03"
FIELDS = ("rule_id", "pack", "category", "detector", "label", "kind", "subject", "subject_id", "person_id",
          "score", "severity", "reason", "reason_en", "evidence", "start", "end", "related_ids", "facts", "time")


_BUNDLE: list[Path] = []  # the built demo bundle, shared by the tests of this module


def _stable(row: Any) -> dict[str, Any]:
    out = {name: getattr(row, name) for name in FIELDS}
    out["score"] = round(float(out["score"]), 6)
    out["time"] = out["time"].isoformat() if out["time"] is not None else None
    return out


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    root = tmp_path_factory.mktemp("golden")
    url = f"sqlite:///{root / 'redline.db'}"
    main(["demo", "--db", url, "--out", str(root / "demo"), "--scale", SCALE])
    main(["scan", "--db", url, "--files", str(root / "demo" / "bundle")])
    _BUNDLE[:] = [root / "demo" / "bundle"]
    with make_engine(url).connect() as conn:
        rows = [_stable(r) for r in conn.execute(select(*[getattr(FindingRow, f) for f in FIELDS]))]
    # Facts of attachment findings name the file by its absolute path: keep it relative to the run.
    root_text = orjson.dumps(str(root))[1:-1]
    rows = [orjson.loads(orjson.dumps(r, option=orjson.OPT_SORT_KEYS).replace(root_text, b"<root>")) for r in rows]
    return sorted(rows, key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))


def _digest(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(b"\n".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) for r in rows)).hexdigest()


def test_demo_findings_are_unchanged(findings: list[dict[str, Any]]) -> None:
    current = {"digest": _digest(findings), "count": len(findings),
               "by_rule": dict(sorted(Counter(r["rule_id"] for r in findings).items()))}
    if os.environ.get("REDLINE_RECORD_GOLDEN") == "1":
        GOLDEN.write_bytes(orjson.dumps({**current, "findings": findings}, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    recorded = orjson.loads(GOLDEN.read_bytes())
    assert current["by_rule"] == recorded["by_rule"]
    # On a mismatch, the first differing finding says more than two digests.
    changed = [(old, new) for old, new in zip(recorded["findings"], findings, strict=True) if old != new]
    assert [{k: (o[k], n[k]) for k in o if o[k] != n[k]} for o, n in changed[:3]] == []
    assert current["digest"] == recorded["digest"]
    assert findings  # the demo county has planted cases: an empty scan is a broken scan


@pytest.mark.parametrize("command", ["payments analyze", "groups audit"])
def test_demo_analyses_from_the_bundle_are_unchanged(findings: list[dict[str, Any]], tmp_path: Path, command: str) -> None:
    """`payments analyze` and `groups audit` read the bundle, not the store: their own path to the analyzers."""
    [bundle] = _BUNDLE
    out = tmp_path / "out.jsonl"
    main([*command.split(), str(bundle), "--output", str(out)])
    lines = sorted(orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS)
                   for line in out.read_bytes().splitlines() if line.strip())
    current = {"digest": hashlib.sha256(b"\n".join(lines)).hexdigest(), "count": len(lines)}
    recorded = orjson.loads(CLI_GOLDEN.read_bytes()) if CLI_GOLDEN.exists() else {}
    if os.environ.get("REDLINE_RECORD_GOLDEN") == "1":
        recorded[command] = current
        CLI_GOLDEN.write_bytes(orjson.dumps(recorded, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    assert current["count"] > 0
    assert current == recorded[command]
