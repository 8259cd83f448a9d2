"""Dashboard counts: alerts (incidents), not findings; by rule, every alert holding the rule."""

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
    # pay-03 holds the gift offer dm-01 and the packets: one gifts alert, not two findings' worth
    assert dict(board.by_category) == {"gifts": 1, "conduct": 1, "privacy": 1, "governance": 1}
    assert dict(board.by_rule)["XY-07"] == 1
    assert dict(board.by_rule)["TJ-06"] == 1  # two TJ-06 findings, one alert
    assert board.total_findings == 6
    assert board.total_alerts == 4
    assert sum(n for _, n in board.by_unit) == 4
    assert sum(n for _, n in board.by_status) == 4
    assert sum(n for _, n in board.by_week) == 4
