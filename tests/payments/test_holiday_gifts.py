from __future__ import annotations

KEY = "payments.holiday_gifts"


def _people(ledger):  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("o2", "王某")
    ledger.person("x1", "赵老板", official=False, external=True)
    ledger.person("f1", "张父", official=False, external=True)
    ledger.relate("o1", "f1", "family")


def test_gift_before_spring_festival_is_named_by_the_calendar(ledger, run, summary) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    a = ledger.pay("x1", "o1", 1000, "2016-02-03T10:00:00", kind="gift_card", channel="other")
    ledger.pay("x1", "o1", 150, "2016-04-20T10:00:00")  # no festival near: not this typology
    [f] = run(KEY, ledger.tables())
    assert summary([f]) == [("o1", (a,), 100_000)]
    assert (f.facts["festival"], f.facts["festival_year"]) == ("spring_festival", 2016)
    assert "时值2016年春节前后" in f.reason


def test_family_colleagues_and_reciprocated_festival_packets_are_custom(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ledger.pay("f1", "o1", 200, "2016-02-07T20:00:00")  # 压岁 packet from a parent
    ledger.pay("o2", "o1", 200, "2016-02-07T20:00:00")  # a colleague, no risk relation
    ledger.pay("x1", "o1", 200, "2016-09-14T20:00:00")
    ledger.pay("o1", "x1", 200, "2016-09-15T20:00:00")  # given back
    assert run(KEY, ledger.tables()) == []


def test_odd_priced_transfer_from_a_stranger_is_a_sale_not_a_gift(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ledger.pay("x1", "o1", 437, "2016-06-08T10:00:00", kind="transfer", channel="alipay")
    assert run(KEY, ledger.tables()) == []
    ledger.pay("x1", "o1", 500, "2016-06-09T10:00:00", kind="transfer", channel="alipay", memo="端午节快乐")
    assert [f.facts["festival"] for f in run(KEY, ledger.tables())] == ["dragon_boat"]


def test_overlapping_windows_give_one_lead_for_the_nearer_festival(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    ledger.pay("x1", "o1", 200, "2016-09-21T10:00:00")  # 4 days after Mid-Autumn, 10 before National Day
    assert [f.facts["festival"] for f in run(KEY, ledger.tables())] == ["mid_autumn"]


def test_rent_that_falls_on_a_holiday_is_not_a_festival_gift(ledger, run) -> None:  # type: ignore[no-untyped-def]
    _people(ledger)
    for m in range(1, 13):  # 2,888 is a lucky number, but the same sum every month is rent
        ledger.pay("x1", "o1", 2888, f"2016-{m:02d}-07T10:00:00", kind="transfer", channel="alipay")
    assert run(KEY, ledger.tables()) == []
