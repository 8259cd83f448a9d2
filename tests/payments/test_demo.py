"""The demo county's planted money cases, including the seed's two, with their totals."""

from __future__ import annotations

import pytest

from redline.bundle import read_bundle
from redline.registry import RECORD_ANALYZERS
from redline.simulation.evaluate import run_analyzers


@pytest.fixture(scope="module")
def demo(demo_bundle):  # type: ignore[no-untyped-def]
    tables = read_bundle(demo_bundle.bundle_path).tables
    return demo_bundle.planted, run_analyzers(tables, RECORD_ANALYZERS)


@pytest.mark.parametrize(("case", "typology", "total_yuan"), [
    ("grain_trader_packets", "managed_party_gifts", 4200.0),  # seed case 1: 21 × 200 yuan
    ("villager_transfer", "large_sums", 5000.0),  # seed case 2
    ("villager_transfer", "managed_party_gifts", 5000.0),
    ("family_proxy", "family_proxy", 3200.0),
    ("supplier_holiday_gift", "holiday_gifts", 1000.0),
    ("bid_gift", "event_gifts", 8000.0),
    ("vote_buying", "vote_buying", 2600.0),
], ids=lambda v: str(v))
def test_planted_case_is_alerted_with_its_total(demo, case, typology, total_yuan) -> None:  # type: ignore[no-untyped-def]
    planted, findings = demo
    truth = planted["cases"][case]
    hits = [f for f in findings if f.kind == typology and f.person_id == truth["person_id"]
            and set(truth["payment_ids"]) <= set(f.related_ids)]
    assert [f.facts["total_yuan"] for f in hits] == [total_yuan]


def test_gambling_sessions_each_alerted_for_every_official(demo) -> None:  # type: ignore[no-untyped-def]
    planted, findings = demo
    truth = planted["cases"]["packet_gambling"]
    found = {(f.person_id, f.facts["group_id"]) for f in findings if f.kind == "packet_gambling"}
    assert found == {(p, truth["group_id"]) for p in truth["officials"]}
    per_person = [f for f in findings if f.kind == "packet_gambling" and f.person_id == truth["officials"][0]]
    assert len(per_person) == len(truth["sessions"])


def test_near_misses_raise_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    planted, findings = demo
    for name in ("family_packet", "returned_packet"):
        pids = set(planted["near_misses"][name]["payment_ids"])
        assert [f.reason for f in findings if pids & set(f.related_ids)] == [], name
