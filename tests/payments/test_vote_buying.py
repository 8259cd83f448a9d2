from __future__ import annotations

KEY = "payments.vote_buying"


def _town(ledger):  # type: ignore[no-untyped-def]
    ledger.person("c1", "候选人", unit="永乐镇")
    voters = [ledger.person(f"v{i}", f"村代表{i}", official=False, unit=f"永乐镇{i}村") for i in range(12)]
    ledger.join("g30", ["c1", *voters], name="永乐镇村代表群", type_="task")
    ledger.event("EL-1", "2024-01-18", "election", "c1", unit="永乐镇")
    return voters


def test_candidate_paying_group_members_days_before_the_vote(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    voters = _town(ledger)
    ids = [ledger.pay("c1", v, 200, f"2024-01-13T20:{i:02d}:00", memo="一点心意") for i, v in enumerate(voters)]
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("c1", tuple(ids), 240_000)]
    assert (f.facts["recipients"], f.facts["election_date"], f.category) == (12, "2024-01-18", "vote_buying")
    assert "向 12 名选举相关人员发放红包、转账 12 笔，共计 2,400.00 元" in f.reason


def test_a_leaders_habit_is_not_canvassing(ledger, run) -> None:  # type: ignore[no-untyped-def]
    voters = _town(ledger)
    for month in range(1, 13):  # pays a dozen people every month of the previous year
        for i, v in enumerate(voters):
            ledger.pay("c1", v, 20, f"2023-{month:02d}-0{1 + i % 9}T20:00:00")
    for i, v in enumerate(voters):
        ledger.pay("c1", v, 20, f"2024-01-13T20:{i:02d}:00")
    assert run(KEY, ledger.tables()) == []


def test_too_few_recipients_or_too_early(ledger, run) -> None:  # type: ignore[no-untyped-def]
    voters = _town(ledger)
    for i, v in enumerate(voters[:4]):
        ledger.pay("c1", v, 200, f"2024-01-13T20:{i:02d}:00")
    for i, v in enumerate(voters[4:]):
        ledger.pay("c1", v, 200, f"2023-11-01T20:{i:02d}:00")  # 78 days before
    assert run(KEY, ledger.tables()) == []
