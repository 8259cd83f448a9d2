from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from redline.contracts import Finding
from redline.store import finding_key, migrate, save_findings
from redline.store.tables.findings import FindingRow


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = migrate(db_url)
    yield engine
    engine.dispose()


def _finding(subject_id: str = "wx01", **changes: object) -> Finding:
    base = Finding(
        rule_id="TJ-06", category="gifts", detector="payments.managed_party_gifts", subject="payment",
        subject_id=subject_id, severity="high", reason="张某收受管理服务对象李某红包", reason_en="Zhang took a red packet",
        person_id="p1", score=0.9, label="managed", related_ids=("wx00", "wx01"),
        facts={"total_fen": 420000, "first": date(2016, 3, 1), "counterparties": ("m1",)}, pack="tianjin-2017",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _rows(engine: Engine) -> list[FindingRow]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(FindingRow).order_by(FindingRow.subject_id)))


def test_save_is_idempotent_and_counts_new_findings(engine: Engine) -> None:
    findings = [_finding("wx01"), _finding("wx02"), _finding("wx01")]  # the repeat is one finding
    assert save_findings(engine, findings, pack_versions={"tianjin-2017": "2017.1"}) == 2
    assert save_findings(engine, findings) == 0
    assert save_findings(engine, [*findings, _finding("wx03")]) == 1
    rows = _rows(engine)
    assert [r.subject_id for r in rows] == ["wx01", "wx02", "wx03"]
    assert [r.pack_version for r in rows] == ["2017.1", "2017.1", ""]  # a re-save keeps the version
    assert rows[0].facts == {"total_fen": 420000, "first": "2016-03-01", "counterparties": ["m1"]}
    assert rows[0].related_ids == ["wx00", "wx01"]
    assert rows[0].key == finding_key(_finding("wx01"))


def test_a_re_save_refreshes_the_reason_but_keeps_created_at(engine: Engine) -> None:
    save_findings(engine, [_finding()])
    [before] = _rows(engine)
    save_findings(engine, [_finding(reason="新的理由", score=0.5)])
    [after] = _rows(engine)
    assert (after.reason, after.score, after.id) == ("新的理由", 0.5, before.id)
    assert after.created_at == before.created_at


@pytest.mark.parametrize("change", [{"rule_id": "TJ-07"}, {"label": "other"}, {"start": 3}, {"end": 9},
                                    {"subject": "message"}, {"subject_id": "x"}],
                         ids=["rule", "label", "start", "end", "subject", "subject_id"])
def test_every_part_of_the_natural_key_matters(change: dict[str, object]) -> None:
    assert finding_key(_finding(**change)) != finding_key(_finding())


def test_the_key_ignores_what_is_not_natural() -> None:
    assert finding_key(_finding(reason="另一个理由", score=0.1)) == finding_key(_finding())
    assert len(finding_key(_finding())) == 64


def test_saving_into_an_unmigrated_database_is_one_clear_error(tmp_path: Path) -> None:
    from redline.errors import ServerFault
    from redline.store import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ServerFault, match="schema is missing or old"):
        save_findings(engine, [_finding()])
    engine.dispose()
