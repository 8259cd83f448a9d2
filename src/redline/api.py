"""The Python API: the same operations as the CLI, for notebooks and other programs.

    import redline
    findings = redline.screen(["王老板发来一个红包：以后多关照"])       # text only, no database
    findings = redline.scan("export/bundle")            # messages + payments + groups (scan_bundle)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from redline.contracts import SCAN_BATCH as BATCH, Finding


def screen(texts: Sequence[str], *, packs: str = "all", overrides: Path | str | None = None,
           ids: Sequence[str] | None = None) -> list[Finding]:
    """Findings for texts (offsets in characters of the original texts); ids default to row numbers."""
    from redline.rules.build import build_plan
    from redline.scan.engine import scan_batch

    plan = build_plan(packs, overrides).plan
    names = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
    out: list[Finding] = []
    for start in range(0, len(texts), BATCH):
        out += scan_batch(plan, list(texts[start:start + BATCH]), ids=names[start:start + BATCH])
    return out


def scan_bundle(bundle: Path | str, *, packs: str = "all", overrides: Path | str | None = None) -> list[Finding]:
    """Every finding for a canonical bundle: its messages (with group context) and the record
    analyses (payments, work groups) the packs name. Rejected rows are not analysed; read the
    bundle with `redline.bundle.read_bundle` to see them."""
    from redline.bundle import read_bundle
    from redline.rules.build import build_plan
    from redline.scan.context import message_context
    from redline.scan.engine import scan_batch
    from redline.scan.records import run_record_analyzers

    tables = read_bundle(Path(bundle)).tables
    plan = build_plan(packs, overrides).plan
    group_types = dict(zip(tables.groups.column("group_id").to_pylist(),
                           (t or "other" for t in tables.groups.column("type").to_pylist()), strict=True))
    messages = tables.messages.select(["id", "text", "conversation", "sender"]).to_pylist()
    out: list[Finding] = []
    for start in range(0, len(messages), BATCH):
        rows = messages[start:start + BATCH]
        contexts = [message_context(r["conversation"] or "", r["sender"] or "", group_types) for r in rows]
        out += scan_batch(plan, [r["text"] or "" for r in rows], contexts, ids=[r["id"] for r in rows])
    for findings in run_record_analyzers(plan, tables).values():
        out += findings
    return out
