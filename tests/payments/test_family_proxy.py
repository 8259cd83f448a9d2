from __future__ import annotations

KEY = "payments.family_proxy"


def _people(ledger):  # type: ignore[no-untyped-def]
    ledger.person("o1", "刘某")
    ledger.person("w1", "刘妻", official=False, external=True)
    ledger.person("m1", "某开发商", official=False, external=True)
    ledger.person("r1", "刘妻同学", official=False, external=True)
    ledger.relate("o1", "w1", "family")


def test_managed_party_paying_the_spouse(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ledger.relate("o1", "m1", "managed")
    a = ledger.pay("m1", "w1", 1200, "2016-03-01T10:00:00", kind="transfer")
    b = ledger.pay("m1", "w1", 2000, "2016-04-01T10:00:00", kind="transfer")
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("o1", (a, b), 320_000)]
    assert f.facts["counterparty_ids"] == ["m1", "w1"]
    assert f.reason.startswith("刘某 的亲属 刘妻 在 2016-03-01 至 2016-04-01 期间收到 某开发商（刘某 的管理服务对象）")


def test_without_a_listed_relation_one_way_repeated_payments_still_surface(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    for m in (1, 2, 3):
        ledger.pay("m1", "w1", 300, f"2016-0{m}-01T10:00:00", kind="transfer")
    for m in (1, 2, 3):  # a friend of the spouse: gives and takes
        ledger.pay("r1", "w1", 300, f"2016-0{m}-05T10:00:00", kind="transfer")
        ledger.pay("w1", "r1", 300, f"2016-0{m}-06T10:00:00", kind="transfer")
    [f] = run(KEY, ledger.tables())
    assert (f.facts["payer_id"], f.severity, f.facts["relation"]) == ("m1", "medium", None)


def test_a_relatives_shop_customers_are_not_bribers(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    for m in (1, 2, 3, 4):  # odd prices by transfer, no listed tie: a customer, not a briber
        ledger.pay("m1", "w1", 238.5 + m, f"2016-0{m}-01T10:00:00", kind="transfer")
    assert run(KEY, ledger.tables()) == []
    ledger.relate("o1", "m1", "managed")  # once the tie is known, any money counts
    assert [f.facts["relation"] for f in run(KEY, ledger.tables())] == ["managed"]
