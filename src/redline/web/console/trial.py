"""试运行 (trial run) of an overrides text on the packs page: validate it, backtest it, cache it.

The packs page shows the backtest of the text in the box before it is saved; saving records
the same report in the audit log. A report is cached per text (sha256) for an hour, so that
the save after a trial run does not run the candidate plan over the store a second time.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from redline.review.backtest import backtest
from redline.rules.load import load_packs, shipped_pack_paths

TTL: Final = 3600.0
AUDITED_RULES: Final = 50  # rules listed in the audit entry: the ones the change touches


@dataclass(frozen=True, slots=True)
class Trial:
    """The outcome of a trial: load errors (then no report), or the backtest as a dict."""

    errors: list[str]
    report: dict[str, Any] | None


def _key(text: str) -> str:
    return "trial:" + hashlib.sha256(text.encode()).hexdigest()


def run_trial(app: Any, text: str, path: Path) -> Trial:
    """Load the shipped packs under `text` (written next to `path`, so relative term files
    resolve as they will once saved) and backtest the plan; cached per text."""
    def compute() -> Trial:
        from redline.rules.compile import compile_plan

        with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=path.parent, delete=False,
                                         encoding="utf-8") as tmp:
            tmp.write(text)
        candidate = Path(tmp.name)
        try:
            result = load_packs(shipped_pack_paths(), overrides=candidate)
            if result.errors:
                return Trial([str(e).replace(str(candidate), path.name) for e in result.errors], None)
            plan = compile_plan(result.packs)
        finally:
            candidate.unlink(missing_ok=True)
        return Trial([], backtest(app.engine, plan).as_dict())

    trial: Trial = app.cached(_key(text), TTL, compute)
    if trial.errors:
        app.forget(_key(text))  # a fixed term file must be seen on the next try
    return trial


def touched(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The rules a change touches (added or removed leads), as rows with their id."""
    if report is None:
        return []
    return [{"rule": rid, **r} for rid, r in sorted(report["by_rule"].items()) if r["added"] or r["removed"]]


def audit_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What the audit entry keeps of a report: the totals and the rules the change touches."""
    touched = {rid: r for rid, r in report["by_rule"].items() if r["added"] or r["removed"]}
    keep = ("plan_version", "added", "removed", "unchanged", "confirmed_lost", "dismissed_saved", "reviewer_hours")
    return {**{k: report[k] for k in keep}, "by_rule": dict(list(touched.items())[:AUDITED_RULES])}
