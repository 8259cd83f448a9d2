from __future__ import annotations

KEY = "payments.large_sums"


def _people(ledger):  # type: ignore[no-untyped-def]
    ledger.person("o1", "周某")
    ledger.person("v1", "某村民", official=False, external=False)
    ledger.person("r1", "老同学", official=False, external=True)


def test_seed_case_5000_yuan_from_a_villager(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    pid = ledger.pay("v1", "o1", 5000, "2017-05-02T20:04:00", kind="transfer")
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("o1", (pid,), 500_000)]
    assert f.reason.startswith("周某 于 2017-05-02 收到 某村民（非公职人员，未登记关系）所发转账 1 笔，共计 5,000.00 元。")
    assert (f.facts["round_thousand"], f.facts["lucky_amount"], f.severity) == (True, False, "medium")


def test_a_repaid_loan_is_not_a_gift(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ledger.pay("o1", "r1", 20000, "2016-03-01T10:00:00", kind="transfer")
    ledger.pay("r1", "o1", 20000, "2016-06-01T10:00:00", kind="transfer")
    assert run(KEY, ledger.tables()) == []


def test_packets_on_one_day_add_up_and_lucky_amounts_are_a_weak_sign(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    day = [ledger.pay("v1", "o1", 200, f"2016-03-01T10:0{i}:00") for i in range(9)]  # 1,800 yuan
    lucky = ledger.pay("r1", "o1", 888, "2016-04-01T10:00:00", kind="transfer")
    found = {f.facts["counterparty_ids"][0]: f for f in run(KEY, ledger.tables())}
    assert sorted(found) == ["r1"]  # the day's 1,800 stays under 2,000; 888 is lucky
    assert (found["r1"].related_ids, found["r1"].severity, found["r1"].facts["lucky_amount"]) == ((lucky,), "low", True)
    assert {f.facts["counterparty_ids"][0] for f in run(KEY, ledger.tables(), min_yuan=1800)} == {"v1", "r1"}
    assert len(day) == 9
