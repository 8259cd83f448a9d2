from __future__ import annotations

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
