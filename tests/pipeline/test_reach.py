"""A lead on a widely reposted public post is one level more urgent (the rule's `urgent_reposts`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from redline.bundle import write_bundle
from redline.pipeline.reach import reposts_of
from redline.pipeline.screen import scan_store
from redline.rules.plan import ScanPlan
from redline.store import load_bundle, make_engine, migrate
from redline.store.tables.findings import FindingRow

TEXT = "不是谣言，名单我看过了，内部消息先别外传"
WHEN = datetime(2023, 11, 8, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _message(mid: str, conversation: str, reposts: str | None) -> dict[str, object]:
    row: dict[str, object] = {"id": mid, "time": WHEN, "conversation": conversation, "sender": "p1",
                              "type": "post" if conversation.startswith("weibo:") else "text", "text": TEXT,
                              "attachment": None}
    if reposts is not None:
        row["reposts"] = reposts
    return row


def test_reposts_raise_the_severity_of_the_rules_that_ask(db_url: str, tmp_path: Path, plan: ScanPlan) -> None:
    engine = migrate(make_engine(db_url))
    people = [{"person_id": "p1", "name": "张某", "unit": "发改局", "post": "副局长", "is_official": True,
               "external": False, "start_date": None, "end_date": None}]
    bundle = write_bundle(tmp_path / "b", {"people": people, "messages": [
        _message("viral", "weibo:1", "2300"), _message("quiet", "weibo:1", "12"),
        _message("group", "G1", "5000"),  # a count on a group message is no post's reach
    ]})
    load_bundle(engine, bundle)
    scan_store(engine, plan)
    with engine.connect() as conn:
        rows = conn.execute(select(FindingRow.subject_id, FindingRow.rule_id, FindingRow.severity, FindingRow.reason)
                            .where(FindingRow.rule_id.in_(["TJ-09", "ZJ-03"]))).all()
    found = {(mid, rule): (severity, reason) for mid, rule, severity, reason in rows}
    base = plan.rules[plan.labels_for("TJ-09")[0]].severity
    assert base == "medium"
    assert found[("viral", "TJ-09")][0] == "high"
    assert "转发 2300 次" in found[("viral", "TJ-09")][1]
    assert found[("quiet", "TJ-09")][0] == base
    assert found[("group", "TJ-09")][0] == base


def test_reposts_read_from_what_importers_wrote() -> None:
    assert [reposts_of(e) for e in ({"reposts": 2300}, {"reposts": "12"}, {"reposts": "1.2万"}, {}, None)] == \
        [2300, 12, 0, 0, 0]
