from __future__ import annotations

KEY = "payments.event_gifts"


def test_gift_from_the_winner_of_a_bid_the_official_handled(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("c1", "某建筑公司", official=False, external=True)
    ledger.person("c2", "另一公司", official=False, external=True)
    ledger.event("E-1", "2016-05-10", "bid", "o1", "c1")
    near = ledger.pay("c1", "o1", 8000, "2016-05-13T21:06:00", kind="transfer", channel="wechat")
    ledger.pay("c1", "o1", 200, "2016-12-30T21:06:00")  # months later: outside the window
    ledger.pay("c2", "o1", 200, "2016-05-11T21:06:00")  # not the beneficiary
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("o1", (near,), 800_000)]
    assert (f.facts["event_id"], f.facts["days_from_event"], f.severity) == ("E-1", 3, "high")
    assert "中标事项（2016-05-10，编号 E-1）的受益方" in f.reason


def test_window_and_kinds_are_tunable(ledger, run) -> None:  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("c1", "某公司", official=False, external=True)
    ledger.event("E-1", "2016-05-10", "inspection", "o1", "c1")
    ledger.pay("c1", "o1", 200, "2016-03-20T21:06:00")  # 51 days before
    assert len(run(KEY, ledger.tables())) == 1
    assert run(KEY, ledger.tables(), days_before=30) == []
    assert run(KEY, ledger.tables(), event_kinds=["bid"]) == []
