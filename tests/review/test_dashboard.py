"""Dashboard counts: findings by category and rule count every finding, not each alert's top one."""

from __future__ import annotations

from sqlalchemy import Engine

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.review.dashboard import dashboard
from redline.store.findings import save_findings


def test_counts_see_an_alerts_second_finding(store: Engine) -> None:
    # dm-03 shows ZJ-03 / conduct; its second, lower finding is a gift
    save_findings(store, [Finding("XY-07", "gifts", "lexicon", "message", "dm-03", "low", "请客吃饭",
                                  person_id="p-zhaomin", pack="xianyang-2015")])
    assert build_alerts(store) == 0
    board = dashboard(store)
    assert dict(board.by_category)["gifts"] == 3
    assert dict(board.by_category)["conduct"] == 1
    assert dict(board.by_rule)["XY-07"] == 1
    assert board.total_findings == 6
    assert sum(n for _, n in board.by_unit) == 6  # each alert's findings, under its person's unit
    assert sum(n for _, n in board.by_status) == 5  # alerts, not findings
