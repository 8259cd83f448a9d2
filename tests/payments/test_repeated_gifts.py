from __future__ import annotations

KEY = "payments.repeated_gifts"


def _people(ledger):  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("x1", "赵老板", official=False, external=True)
    ledger.person("r1", "老同学", official=False, external=True)


def test_one_way_gifts_from_an_unlisted_business_are_a_lead(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ids = [ledger.pay("x1", "o1", 200, f"2016-0{m}-15T20:00:00") for m in range(1, 7)]
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("o1", tuple(ids), 120_000)]
    assert "赵老板（外部人员，未登记关系）" in f.reason
    assert "其从未向对方回礼" in f.reason
    assert f.facts["return_ratio"] == 0.0


def test_give_and_take_with_a_friend_is_not(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    for m in range(1, 7):
        ledger.pay("r1", "o1", 100, f"2016-0{m}-15T20:00:00")
        ledger.pay("o1", "r1", 100, f"2016-0{m}-18T20:00:00")
    assert run(KEY, ledger.tables()) == []


def test_rent_is_a_standing_arrangement_not_a_gift(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    for m in range(1, 10):
        ledger.pay("x1", "o1", 1853.5, f"2016-0{m}-01T09:00:00", kind="transfer", channel="alipay")
    assert run(KEY, ledger.tables()) == []


def test_a_long_silence_splits_series(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    early = [ledger.pay("x1", "o1", 150, f"2015-0{m}-10T20:00:00") for m in (1, 2, 3)]
    late = [ledger.pay("x1", "o1", 150, f"2016-0{m}-10T20:00:00") for m in (4, 5)]
    assert summary(run(KEY, ledger.tables())) == [("o1", tuple(early), 45_000)]
    assert summary(run(KEY, ledger.tables(), gap_days=400)) == [("o1", tuple(early + late), 75_000)]
