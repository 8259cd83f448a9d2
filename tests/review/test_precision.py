"""Precision per rule and detector, and the statistics under it, against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.review.accounts import Actor, Role
from redline.review.alerts import build_alerts
from redline.review.decisions import decide
from redline.review.precision import precision_stats
from redline.review.quality import cohen_kappa, median, precision, wilson
from redline.store import save_findings
from redline.store.db import migrate
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert

ANA = Actor("ana", Role.ANALYST)
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in +08:00, ISO week 2026-W45


def test_wilson_of_three_out_of_four() -> None:
    # p = 0.75, n = 4, z = 1.96: centre (0.75 + 0.4802) / 1.9604 = 0.6275,
    # half 1.96 × √(0.046875 + 0.060025) / 1.9604 = 0.3269
    low, high = wilson(3, 4) or (0.0, 0.0)
    assert (round(low, 3), round(high, 3)) == (0.301, 0.954)
    assert wilson(0, 0) is None
    assert (wilson(0, 5) or (1.0, 1.0))[0] == 0.0


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_holds_the_point_estimate(k: int, extra: int) -> None:
    n = k + extra
    low, high = wilson(k, n) or (2.0, -1.0)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_kappa_of_the_textbook_table() -> None:
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 → po 0.7, pe 0.5, κ 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("y", "y")] * 3) == 1.0
    assert cohen_kappa([]) is None


@pytest.mark.parametrize(("values", "expected"), [([], None), ([3.0], 3.0), ([4.0, 1.0, 2.0], 2.0), ([1.0, 2.0, 3.0, 10.0], 2.5)])
def test_median(values: list[float], expected: float | None) -> None:
    assert median(values) == expected


def _finding(rule: str, detector: str, mid: str) -> Finding:
    return Finding(rule_id=rule, category="gifts", detector=detector, subject="message", subject_id=mid,
                   severity="high", reason="测试", pack="test")


@pytest.fixture
def decided(tmp_path: Path) -> Engine:
    """Rule R-A on m1–m6 (detector lexicon), R-B on m5–m8 (detector gift_offer), 20 messages;
    escalated m1 m2 m5; dismissed m3 m4 m7 ("测试数据") and m6 ("正常往来"); m8 open."""
    engine = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    with Session(engine) as session, session.begin():
        # one conversation each: messages of one conversation would make one incident
        session.add_all(Message(id=f"m{i}", time=MONDAY + timedelta(days=7 * (i > 4)), conversation=f"c{i}", text="x")
                        for i in range(1, 21))
    save_findings(engine, [_finding("R-A", "lexicon", f"m{i}") for i in range(1, 7)]
                  + [_finding("R-B", "gift_offer", f"m{i}") for i in range(5, 9)])
    assert build_alerts(engine) == 8
    with Session(engine) as session:
        ids = {a.subject_id: a.id for a in session.scalars(select(Alert))}
    decide(engine, ANA, [ids["m1"], ids["m2"], ids["m5"]], "escalate", reason="核实")
    decide(engine, ANA, [ids["m3"], ids["m4"], ids["m7"]], "dismiss", reason="测试数据")
    decide(engine, ANA, [ids["m6"]], "dismiss", reason="正常往来")
    return engine


def test_precision_per_rule_and_detector(decided: Engine) -> None:
    stats = precision_stats(decided)
    rules = {r["rule_id"]: r for r in stats["rules"]}
    a, b = rules["R-A"], rules["R-B"]
    assert (a["confirmed"], a["dismissed"], a["open"]) == (3, 3, 0)
    assert (b["confirmed"], b["dismissed"], b["open"]) == (1, 2, 1)
    assert a["precision"] == 0.5
    assert b["precision"] == pytest.approx(1 / 3, abs=1e-4)
    low, high = wilson(3, 6) or (0, 0)
    assert (a["precision_low"], a["precision_high"]) == (round(low, 4), round(high, 4))
    assert a["per_1000_messages"] == 1000 * 6 / 20
    assert b["per_1000_messages"] == 1000 * 4 / 20
    # R-A: 6 × 0.5 = 3 expected dismissals; R-B: 4 × 2/3 = 2.67 → R-A first
    assert [r["rule_id"] for r in stats["rules"]] == ["R-A", "R-B"]
    assert a["top_dismissal_reasons"] == [{"reason": "测试数据", "count": 2}, {"reason": "正常往来", "count": 1}]
    assert b["top_dismissal_reasons"] == [{"reason": "正常往来", "count": 1}, {"reason": "测试数据", "count": 1}]
    # weeks in +08:00: m1–m4 in W45, m5 onward one week later
    assert a["weeks"] == [{"week": "2026-W45", "confirmed": 2, "dismissed": 2, "open": 0},
                          {"week": "2026-W46", "confirmed": 1, "dismissed": 1, "open": 0}]
    detectors = {d["detector"]: d for d in stats["detectors"]}
    assert (detectors["gift_offer"]["confirmed"], detectors["gift_offer"]["dismissed"]) == (1, 2)
    assert detectors["lexicon"]["alerts"] == 6


def test_precision_is_none_without_decisions() -> None:
    assert precision(0, 0) is None
    assert precision(2, 2) == 0.5


def test_packs_stats_json(decided: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from redline.cli import main

    capsys.readouterr()
    code = 0
    try:
        main(["packs", "stats", "--db", decided.url.render_as_string(hide_password=False), "--json"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["messages"] == 20
    assert [(r["rule_id"], r["confirmed"], r["dismissed"], r["open"]) for r in out["rules"]] == [
        ("R-A", 3, 3, 0), ("R-B", 1, 2, 1)]
