from __future__ import annotations

import pytest

KEY = "payments.managed_party_gifts"


def _grain_station(ledger):  # type: ignore[no-untyped-def]
    """The seed case: a grain trader's 21 packets of 200 yuan to a grain-station deputy head."""
    ledger.person("o1", "张某")
    ledger.person("m1", "李某", official=False, external=True)
    ledger.relate("o1", "m1", "managed")
    ids = [ledger.pay("m1", "o1", 200, f"2016-{3 + i // 5:02d}-{1 + (i % 5) * 5:02d}T20:00:00") for i in range(20)]
    ids.append(ledger.pay("m1", "o1", 200, "2016-08-10T20:00:00"))
    return ids


def test_seed_case_21_packets_one_lead_with_total_and_sentence(ledger, run) -> None:  # type: ignore[no-untyped-def]
    ids = _grain_station(ledger)
    [f] = run(KEY, ledger.tables())
    assert (f.person_id, f.related_ids, f.facts["total_fen"], f.facts["count"]) == ("o1", tuple(ids), 420_000, 21)
    assert f.reason == (
        "张某 在 2016-03-01 至 2016-08-10 期间收到 李某（管理服务对象）所发红包 21 个，共计 4,200.00 元。"
        "收受管理服务对象的红包礼金，不论金额大小均违反纪律规定。"
    )
    assert f.reason_en.startswith("张某 received 21 red packets totalling 4,200.00 yuan from 李某 (managed party)")
    assert (f.severity, f.kind, f.category, f.facts["relation"]) == ("high", "managed_party_gifts", "gifts", "managed")
    assert set(f.facts["score_parts"]) == {"relation", "repeat", "size"}


def test_any_amount_counts_but_returned_packets_and_family_do_not(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("m1", "李某", official=False, external=True)
    ledger.person("f1", "张妻", official=False, external=True)
    ledger.relate("o1", "m1", "managed")
    ledger.relate("o1", "f1", "family")
    small = ledger.pay("m1", "o1", 8.8, "2016-03-01T10:00:00")
    ledger.pay("m1", "o1", 200, "2016-03-02T10:00:00", status="returned")
    ledger.pay("m1", "o1", 200, "2016-03-03T10:00:00", status="refunded")
    ledger.pay("f1", "o1", 200, "2016-03-04T10:00:00")
    assert summary(run(KEY, ledger.tables())) == [("o1", (small,), 880)]


def test_relation_listed_in_reverse_and_supplier(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("o2", "王某")
    ledger.person("s1", "供应商", official=False, external=True)
    ledger.relate("o1", "s1", "supplier")
    ledger.relate("o2", "o1", "superior")  # o1 is o2's superior, so o2 is o1's subordinate
    a = ledger.pay("s1", "o1", 100, "2016-03-01T10:00:00")
    b = ledger.pay("o2", "o1", 800, "2016-03-02T10:00:00", kind="transfer", channel="alipay")
    assert sorted(summary(run(KEY, ledger.tables()))) == [("o1", (a,), 10_000), ("o1", (b,), 80_000)]


def test_subordinates_give_and_take_is_not_a_gift(ledger, run) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("o2", "王某")
    ledger.relate("o1", "o2", "subordinate")
    ledger.pay("o2", "o1", 600, "2016-03-01T10:00:00", kind="transfer", channel="alipay")
    ledger.pay("o1", "o2", 500, "2016-04-01T10:00:00", kind="transfer", channel="alipay")  # paid back
    ledger.pay("o2", "o1", 60, "2016-05-01T10:00:00", kind="transfer", channel="alipay")
    assert run(KEY, ledger.tables()) == []


def test_min_count_from_the_rule_config(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _grain_station(ledger)
    assert run(KEY, ledger.tables(), min_count=22) == []
    assert len(run(KEY, ledger.tables(), min_count=21)) == 1


# --- inferred managed parties (relation lists are incomplete) ---------------------------------


def _unit(ledger, unit: str = "住建局"):  # type: ignore[no-untyped-def]
    """Three officials of one unit and one of another, a contractor nobody listed."""
    for pid, name in (("o1", "赵某"), ("o2", "钱某"), ("o3", "孙某")):
        ledger.person(pid, name, unit=unit)
    ledger.person("o9", "周某", unit="文旅局")
    ledger.person("c1", "某建筑公司", official=False, external=True)


@pytest.mark.parametrize(("setup", "basis"), [
    # a decision by a colleague of the same unit benefited the payer
    (lambda lg: lg.event("E1", "2016-02-01", "bid", "o2", "c1"), "beneficiary"),
    # a decision by the unit itself (unit column, no official named)
    (lambda lg: lg.event("E2", "2016-09-01", "approval", "o3", "c1", unit="住建局"), "beneficiary"),
    # listed as managed by a colleague only
    (lambda lg: lg.relate("o2", "c1", "managed"), "listed_for_colleague"),
    (lambda lg: lg.relate("o3", "c1", "supplier"), "listed_for_colleague"),
    # pays another official of the same unit as well, one way
    (lambda lg: lg.pay("c1", "o2", 66, "2016-04-01T09:00:00"), "pays_unit"),
])
def test_single_small_packet_from_an_inferred_party_is_a_lead(ledger, run, setup, basis) -> None:  # type: ignore[no-untyped-def]
    _unit(ledger)
    setup(ledger)
    packet = ledger.pay("c1", "o1", 8.8, "2016-03-01T10:00:00")
    leads = [f for f in run(KEY, ledger.tables(), infer_min_officials=2) if f.person_id == "o1"]
    assert [(f.related_ids, f.facts["relation"], f.facts["inferred_from"]) for f in leads] == [
        ((packet,), "inferred_managed", basis)]
    assert "推定为管理服务对象" in leads[0].reason
    assert "须核实" in leads[0].reason
    assert leads[0].reason_en.split("yuan from ")[1].count("Inferred managed party") == 1
    assert leads[0].severity == "medium"


@pytest.mark.parametrize("setup", [
    lambda lg: None,  # nothing links the payer to the unit
    lambda lg: lg.event("E1", "2016-02-01", "bid", "o9", "c1"),  # a decision of another unit
    lambda lg: lg.relate("o9", "c1", "managed"),  # managed by another unit
    lambda lg: lg.pay("c1", "o9", 66, "2016-04-01T09:00:00"),  # pays an official of another unit
    # pays a colleague too, but that colleague paid it all back: not one way
    lambda lg: (lg.pay("c1", "o2", 66, "2016-04-01T09:00:00"), lg.pay("o2", "c1", 66, "2016-04-01T12:00:00")),
])
def test_no_inference_without_a_link_to_the_officials_unit(ledger, run, setup) -> None:  # type: ignore[no-untyped-def]
    _unit(ledger)
    setup(ledger)
    ledger.pay("c1", "o1", 8.8, "2016-03-01T10:00:00")
    assert [f for f in run(KEY, ledger.tables(), infer_min_officials=2) if f.person_id == "o1"] == []


def test_officials_and_listed_relations_are_never_inferred(ledger, run) -> None:  # type: ignore[no-untyped-def]
    """A colleague's packets and a listed friend's are not managed-party gifts, whoever else they pay."""
    _unit(ledger)
    ledger.person("f1", "老同学", official=False, external=True)
    ledger.relate("o1", "f1", "family")
    ledger.event("E1", "2016-02-01", "bid", "o2", "f1")
    ledger.pay("f1", "o1", 200, "2016-03-01T10:00:00")
    ledger.pay("o2", "o1", 50, "2016-03-01T10:00:00", kind="transfer", channel="alipay")
    ledger.pay("o2", "o3", 50, "2016-03-01T10:00:00", kind="transfer", channel="alipay")
    assert run(KEY, ledger.tables()) == []


def test_inference_can_be_switched_off(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _unit(ledger)
    ledger.relate("o2", "c1", "managed")
    ledger.pay("c1", "o1", 8.8, "2016-03-01T10:00:00")
    assert run(KEY, ledger.tables(), infer_parties=False) == []


def test_paying_colleagues_is_inferred_only_when_a_rule_asks(ledger, run) -> None:  # type: ignore[no-untyped-def]
    """Off by default (the Spark engine cannot see colleagues' rows); a rule turns it on."""
    _unit(ledger)
    ledger.pay("c1", "o2", 66, "2016-04-01T09:00:00")
    ledger.pay("c1", "o1", 8.8, "2016-03-01T10:00:00")
    assert run(KEY, ledger.tables()) == []
    assert {f.person_id for f in run(KEY, ledger.tables(), infer_min_officials=2)} == {"o1", "o2"}
