"""The watcher applies the retention policy on its first poll and then once a day, not every poll."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.cases.retention import RetentionPolicy, apply
from redline.pipeline.spool import Spool
from redline.pipeline.watcher import Watcher
from redline.review.sample import load_sample
from redline.rules.build import build_plan
from redline.store import make_engine, migrate
from redline.store.tables.audit import AuditEntry


def test_retention_runs_on_the_first_poll_then_daily(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'w.db'}"))
    load_sample(engine)
    spool = tmp_path / "spool"
    spool.mkdir()
    runs: list[int] = []
    policy = RetentionPolicy(concluded_cases_days=None, dismissed_alerts_days=None,
                             messages_without_finding_days=0, payments_without_finding_days=None)

    def daily() -> object:
        runs.append(1)
        return apply(engine, policy, actor="watcher")

    watcher = Watcher(engine, build_plan("tianjin-2017").plan, [Spool(spool)], name="w", global_every=1e9,
                      daily=[daily])
    watcher.poll()
    watcher.poll()
    assert runs == [1]  # the second poll is not a day later
    with Session(engine) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.delete"))
    assert entry is not None
    # the sample's 30 unnamed messages: 29 in the group and dm-02
    assert (entry.actor, entry.detail["kind"], entry.detail["count"]) == ("watcher", "message", 30)
