"""The pure comparison of a backtest, on leads and alerts made by hand."""

from __future__ import annotations

import pytest

from redline.review.backtest import AlertState, BacktestReport, compare


def test_removed_leads_count_even_where_the_alert_survives() -> None:
    # alert 1 (escalated, 2 h): R-A and R-B on m1; alert 2 (dismissed, 4 h): R-A on m2;
    # alert 3 (open): R-B on m3. The change: R-A off, R-C on a new message m9.
    before = {("R-A", "message", "m1"): 1, ("R-B", "message", "m1"): 1,
              ("R-A", "message", "m2"): 2, ("R-B", "message", "m3"): 3}
    after = {("R-B", "message", "m1"), ("R-B", "message", "m3"), ("R-C", "message", "m9")}
    alerts = {1: AlertState("escalated", 2.0), 2: AlertState("dismissed", 4.0), 3: AlertState("new", None)}
    report = compare(before, after, alerts, BacktestReport("v", None)).as_dict()
    a = report["by_rule"]["R-A"]
    assert (a["removed"], a["confirmed_lost"], a["dismissed_saved"], a["added"]) == (2, 1, 1, 0)
    assert a["precision_before"] == 0.5
    assert a["precision_after"] is None
    assert report["by_rule"]["R-B"]["removed"] == 0
    assert report["by_rule"]["R-C"]["added"] == 1
    # alerts: 2 goes (its only lead was R-A), 1 survives through R-B; m9 is new
    assert (report["removed"], report["added"], report["unchanged"]) == (1, 1, 2)
    assert (report["confirmed_lost"], report["dismissed_saved"]) == (0, 1)
    assert report["removed_alerts"] == ["alert:2"]
    assert report["added_alerts"] == ["message:m9"]
    # decided lead times: R-A 2 h and 4 h (median 3), R-B 2 h; all of them 2, 4, 2 → median 2.
    # m9's alert (R-C, never decided) costs the overall median 2; alert 2 costs R-A's 3: 2 − 3
    assert report["reviewer_hours"] == pytest.approx(-1.0)


def test_no_change_reports_nothing() -> None:
    before = {("R-A", "payment", "p1"): 1, ("R-A", "group", "g1"): None}
    report = compare(before, set(before), {1: AlertState("new", None)}, BacktestReport("v", None))
    assert (report.added, report.removed, report.changed) == (0, 0, False)
