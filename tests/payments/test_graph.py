from __future__ import annotations

from pathlib import Path

import pytest

from redline.errors import NotFound
from redline.payments.frame import PaymentFrame
from redline.payments.graph import counterparty_graph, draw


def _ring(ledger):  # type: ignore[no-untyped-def]
    """An official, a family, and a ring of three firms that pay him and each other."""
    ledger.person("o1", "张某")
    for pid, name in (("f1", "张妻"), ("f2", "张子")):
        ledger.person(pid, name, official=False, external=True)
        ledger.relate("o1", pid, "family")
    firms = [ledger.person(f"c{i}", f"公司{i}", official=False, external=True) for i in range(3)]
    for i, a in enumerate(firms):
        ledger.pay(a, "o1", 200, f"2016-03-0{i + 1}T10:00:00")
        for b in firms:
            if a != b:
                ledger.pay(a, b, 50000 + 100 * i, f"2016-04-0{i + 1}T10:00:00", kind="transfer", channel="bank")
    for m in (1, 2, 3):
        ledger.pay("o1", "f1", 100, f"2016-0{m}-10T10:00:00")
        ledger.pay("f1", "f2", 100, f"2016-0{m}-11T10:00:00")
        ledger.pay("o1", "f2", 100, f"2016-0{m}-12T10:00:00")
    return firms


def test_ring_of_firms_is_one_community(ledger) -> None:  # type: ignore[no-untyped-def]
    firms = _ring(ledger)
    graph = counterparty_graph(PaymentFrame(ledger.tables()), "o1")
    community = {n["id"]: n["community"] for n in graph.nodes}
    assert len({community[c] for c in firms}) == 1
    assert community["f1"] == community["f2"] != community["c0"]
    ring = next(c for c in graph.communities if "c0" in c["members"])
    assert (sorted(ring["members"]), ring["into_person_fen"]) == (["c0", "c1", "c2"], 60_000)
    assert {(e["source"], e["target"]) for e in graph.edges} >= {("c0", "c1"), ("c2", "o1")}


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")], ids=["png", "svg"])
def test_chart_files(ledger, tmp_path: Path, suffix: str, magic: bytes) -> None:  # type: ignore[no-untyped-def]
    _ring(ledger)
    path = draw(counterparty_graph(PaymentFrame(ledger.tables()), "o1"), tmp_path / f"g{suffix}")
    assert path.read_bytes().startswith(magic)


def test_unknown_person_is_an_error(ledger) -> None:  # type: ignore[no-untyped-def]
    _ring(ledger)
    with pytest.raises(NotFound, match="unknown person 'zz'"):
        counterparty_graph(PaymentFrame(ledger.tables()), "zz")
