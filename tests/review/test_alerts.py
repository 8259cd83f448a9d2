from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.errors import ConfigError
from redline.review import alerts as alerts_module
from redline.review.alerts import (
    FEW_FINDINGS,
    QueueFilter,
    build_alerts,
    filter_options,
    list_alerts,
)
from redline.store.findings import save_findings
from redline.store.tables.review import Alert


def _alerts(engine: Engine, flt: QueueFilter, sort: str = "severity", limit: int = 50) -> list[int]:
    with Session(engine) as session:
        return [a.id for a in list_alerts(session, flt, sort, None, limit).alerts]


def _by_subject(engine: Engine) -> dict[str, Alert]:
    with Session(engine) as session:
        return {a.subject_id: a for a in session.scalars(select(Alert))}


def test_one_incident_becomes_one_alert(store: Engine) -> None:
    alerts = _by_subject(store)
    # the gift offer dm-01 and the packets pay-01..05 are one incident: same person, gifts, days apart
    assert sorted(alerts) == ["dm-03", "g-finance", "g1-15", "pay-03"]
    pay = alerts["pay-03"]
    assert (pay.severity, pay.severity_rank, pay.unit, pay.rule_id, pay.n_findings) == ("critical", 4, "财政局", "TJ-06", 2)
    with Session(store) as session:
        ids = alerts_module.evidence_ids(session, pay.id)
    assert ids["message_ids"] == ["dm-01"]
    assert ids["payment_ids"] == [f"pay-{i:02d}" for i in range(1, 6)]
    # a second finding on the same message, of another category, joins the alert, it does not add one
    more = Finding("ZJ-01", "political", "lexicon", "message", "dm-01", "critical", "更严重", person_id="p-zhangwei",
                   label="x", start=0, end=2, pack="zhejiang-2017")
    save_findings(store, [more])
    assert build_alerts(store) == 0
    grown = _by_subject(store)["pay-03"]
    assert (grown.n_findings, grown.severity, grown.severity_rank) == (3, "critical", 4)
    assert build_alerts(store) == 0  # nothing new: nothing done


def test_alert_time_comes_from_the_message_or_payment(store: Engine) -> None:
    alerts = _by_subject(store)
    with Session(store) as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 4
    assert str(alerts["g1-15"].time)[:16] in ("2026-03-02 03:30", "2026-03-02 03:30+00:00")


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (QueueFilter(), ["pay-03", "dm-03", "g1-15", "g-finance"]),
        (QueueFilter(category="gifts"), ["pay-03"]),
        (QueueFilter(severity="medium"), ["dm-03", "g1-15"]),
        (QueueFilter(unit="教育局"), ["dm-03"]),
        (QueueFilter(pack="zhejiang-2017"), ["dm-03", "g1-15"]),
        (QueueFilter(rule_id="XY-03"), ["g-finance"]),
        (QueueFilter(date_from=date(2026, 3, 3), date_to=date(2026, 3, 4)), ["dm-03"]),
        (QueueFilter(status="dismissed"), []),
        (QueueFilter(assignee="nobody"), []),
    ],
    ids=["all", "category", "severity", "unit", "pack", "rule", "dates", "status", "assignee"],
)
def test_queue_filters(store: Engine, flt: QueueFilter, expected: list[str]) -> None:
    ids = {a.id: s for s, a in _by_subject(store).items()}
    assert [ids[i] for i in _alerts(store, flt)] == expected


def test_keyset_pages_cover_every_alert_once_in_every_sort(store: Engine) -> None:
    save_findings(store, [
        Finding(f"R-{i % 4}", "gifts", "lexicon", "message", f"m-{i:03d}", ("low", "medium", "high")[i % 3], "r")
        for i in range(40)
    ])
    build_alerts(store)
    for sort in ("severity", "newest", "oldest"):
        full = _alerts(store, QueueFilter(), sort, limit=500)
        seen: list[int] = []
        cursor = None
        with Session(store) as session:
            while True:
                page = list_alerts(session, QueueFilter(), sort, cursor, 7)
                seen += [a.id for a in page.alerts]
                cursor = page.next_cursor
                if cursor is None:
                    break
        assert seen == full, sort
        assert len(full) == 44


def test_bad_sort_and_cursor_are_input_errors(store: Engine) -> None:
    with Session(store) as session:
        with pytest.raises(ConfigError):
            list_alerts(session, QueueFilter(), "loudest")
        with pytest.raises(ConfigError):
            list_alerts(session, QueueFilter(), "severity", "not-a-cursor")


def _second_finding(engine: Engine) -> None:
    """dm-03 (shown as ZJ-03 / conduct / zhejiang-2017, medium) gets a lower gift finding."""
    save_findings(engine, [Finding("XY-07", "gifts", "lexicon", "message", "dm-03", "low", "请客吃饭",
                                   person_id="p-zhaomin", label="meal", start=6, end=11, pack="xianyang-2015")])
    assert build_alerts(engine) == 0


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (QueueFilter(category="gifts"), ["pay-03", "dm-03"]),
        (QueueFilter(rule_id="XY-07"), ["dm-03"]),
        (QueueFilter(pack="xianyang-2015"), ["dm-03", "g-finance"]),
        (QueueFilter(category="conduct"), ["dm-03"]),  # its own finding still counts
        # one finding must carry every finding-level filter: XY-03 is g-finance's, not dm-03's
        (QueueFilter(pack="xianyang-2015", rule_id="XY-03"), ["g-finance"]),
        (QueueFilter(pack="zhejiang-2017", category="gifts"), []),
        (QueueFilter(category="gifts", unit="教育局"), ["dm-03"]),
        (QueueFilter(category="gifts", status="dismissed"), []),
    ],
    ids=["category", "rule", "pack", "own-category", "pack+rule", "pack+category-apart", "with-unit", "with-status"],
)
@pytest.mark.parametrize("few", [FEW_FINDINGS, 1], ids=["from-findings", "walk-queue"])
def test_filters_match_any_finding_of_an_alert(
    store: Engine, flt: QueueFilter, expected: list[str], few: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alerts_module, "FEW_FINDINGS", few)  # both plans: rare values and common ones
    _second_finding(store)
    ids = {a.id: s for s, a in _by_subject(store).items()}
    assert [ids[i] for i in _alerts(store, flt)] == expected
    alerts = _by_subject(store)
    oldest = sorted(expected, key=lambda s: (alerts[s].time, alerts[s].id))
    assert [ids[i] for i in _alerts(store, flt, "oldest")] == oldest


def test_the_alert_still_shows_its_most_severe_finding(store: Engine) -> None:
    _second_finding(store)
    dm = _by_subject(store)["dm-03"]
    assert (dm.rule_id, dm.category, dm.pack, dm.severity, dm.n_findings) == (
        "ZJ-03", "conduct", "zhejiang-2017", "medium", 2)
    with Session(store) as session:
        options = filter_options(session)
    # the dropdowns offer what the filters can find, not only what alerts show
    assert options["rule_id"] == ["TJ-06", "XY-03", "XY-07", "ZJ-03", "ZJ-09"]
    assert options["pack"] == ["tianjin-2017", "xianyang-2015", "zhejiang-2017"]


@pytest.mark.parametrize("few", [FEW_FINDINGS, 1], ids=["from-findings", "walk-queue"])
def test_filtered_pages_by_a_second_finding_cover_every_match_once(
    store: Engine, few: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alerts_module, "FEW_FINDINGS", few)
    # 30 messages whose top finding is conduct and whose second (lower) one is a gift, and 10 without
    save_findings(store, [
        Finding("R-top", "conduct", "lexicon", "message", f"m-{i:03d}", ("medium", "high", "critical")[i % 3], "r")
        for i in range(40)
    ] + [Finding("R-gift", "gifts", "lexicon", "message", f"m-{i:03d}", "low", "r") for i in range(30)])
    build_alerts(store)
    for sort in ("severity", "newest", "oldest"):
        full = _alerts(store, QueueFilter(rule_id="R-gift"), sort, limit=500)
        assert len(full) == 30
        seen: list[int] = []
        cursor = None
        with Session(store) as session:
            while True:
                page = list_alerts(session, QueueFilter(rule_id="R-gift"), sort, cursor, 7)
                seen += [a.id for a in page.alerts]
                cursor = page.next_cursor
                if cursor is None:
                    break
        assert seen == full, sort
