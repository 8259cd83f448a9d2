"""`redline scan` over the store: incremental by plan version, idempotent findings, scopes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from tests.cli.run import run_cli

from redline.store import load_bundle, make_engine, migrate
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.scan_state import ScanState

CST = timezone(timedelta(hours=8))
TEXTS = {
    "d1": ("g-dept", "王老板发来一个红包:节日快乐,以后多关照"),
    "d2": ("g-dept", "晚上打麻将三缺一"),
    "d3": ("g-dept", "请各科室周五前报送材料"),
    "s1": ("g-family", "晚上打麻将三缺一"),
    "p1": ("dm:p1|p2", "機密★1年 关于调整领导班子的请示"),
    "u1": ("g-unlisted", "機密★1年 关于调整领导班子的请示"),
}


@pytest.fixture
def loaded(tmp_path: Path, db_url: str) -> str:
    from redline.bundle import write_bundle

    t0 = datetime(2017, 6, 1, 9, 0, tzinfo=CST)
    tables = {
        "people": [{"person_id": p, "name": n, "unit": "市委办", "post": "", "is_official": True, "external": False}
                   for p, n in (("p1", "张三"), ("p2", "李四"))],
        "groups": [
            {"group_id": "g-dept", "name": "办公室工作群", "type": "department", "owner_id": "p1", "registered": True,
             "classification": "", "daily_report": False},
            {"group_id": "g-family", "name": "家人群", "type": "social", "owner_id": "p2", "registered": False,
             "classification": "", "daily_report": False},
        ],
        "messages": [
            {"id": mid, "time": t0 + timedelta(minutes=i), "conversation": conv, "sender": "p1", "type": "text",
             "text": text, "attachment": None}
            for i, (mid, (conv, text)) in enumerate(TEXTS.items())
        ],
    }
    bundle = write_bundle(tmp_path / "bundle", tables)
    engine = migrate(make_engine(db_url))
    load_bundle(engine, bundle)
    engine.dispose()
    return db_url


def _findings(db_url: str) -> set[tuple[str, str]]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = {(r.subject_id, r.rule_id) for r in conn.execute(select(FindingRow.subject_id, FindingRow.rule_id))}
        states = conn.execute(select(func.count()).select_from(ScanState)).scalar_one()
    engine.dispose()
    assert states == len(TEXTS)
    return rows


def test_scan_is_incremental_idempotent_and_scoped(capsys: pytest.CaptureFixture[str], loaded: str, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "scan", "--db", loaded)
    assert code == 0, err
    assert "6 messages screened (0 already screened with this plan)" in out
    first = _findings(loaded)
    assert {("d1", "TJ-06"), ("d1", "ZJ-06"), ("p1", "TJ-07"), ("p1", "ZJ-02")} <= first
    assert ("d2", "WG-03") in first  # off-topic in a department work group
    assert ("s1", "WG-03") not in first  # the same words in a family group are nobody's business
    assert ("p1", "WH-02") not in first  # WH-02 binds groups; p1 is a private chat
    assert ("u1", "WH-02") in first  # a group missing from groups.csv: unknown context, rule applies
    assert not {f for f in first if f[0] == "d3"}
    assert ("d3", "TJ-07") not in first

    code, out, _ = run_cli(capsys, "scan", "--db", loaded)
    assert code == 0
    assert "0 messages screened (6 already screened with this plan)" in out
    assert "0 new" in out
    assert _findings(loaded) == first

    # A message reloaded with another text is screened again, and only that one.
    engine = make_engine(loaded)
    with engine.begin() as conn:
        conn.execute(update(Message).where(Message.id == "d3").values(text="请各科室周五前报送材料。这份内部资料先发给你们看看，别外传"))
    engine.dispose()
    code, out, _ = run_cli(capsys, "scan", "--db", loaded)
    assert code == 0
    assert "1 messages screened (5 already screened with this plan)" in out
    first = _findings(loaded)
    assert ("d3", "TJ-07") in first

    # A changed plan (an org switches a rule off) rescans everything; the other findings are the same rows.
    ov = tmp_path / "org.yaml"
    ov.write_text("rules:\n  WG-03: {enabled: false}\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "scan", "--db", loaded, "--overrides", str(ov))
    assert code == 0
    assert "6 messages screened (0 already screened with this plan)" in out
    assert "0 new" in out
    assert _findings(loaded) == first
