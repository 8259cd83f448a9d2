from __future__ import annotations

from datetime import date

import pytest

from redline.payments.festivals import day_number
from redline.payments.frame import PaymentFrame


def _base(ledger):  # type: ignore[no-untyped-def]
    ledger.person("o1", "张某")
    ledger.person("b1", "李某", official=False, external=True)
    return ledger


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ({"payer": "ghost"}, "payer", "unknown person ghost (not in people.csv)"),
        ({"payee": "nobody"}, "payee", "unknown person nobody (not in people.csv)"),
        ({"yuan": -5}, "amount_yuan", "amount must be positive, got -5.0"),
        ({"yuan": 0}, "amount_yuan", "amount must be positive, got 0.0"),
        ({"yuan": 2e9, "kind": "bank", "channel": "bank"}, "amount_yuan", "absurd amount 2000000000.0 yuan"),
        ({"kind": "cash"}, "kind", "unknown payment kind cash"),
        ({"status": "lost"}, "status", "unknown status lost"),
        ({"yuan": 500}, "amount_yuan", "a WeChat red packet holds at most 200 yuan, got 500.0"),
        ({"payee": "b1"}, "payee", "payer and payee are the same person"),
    ],
    ids=["unknown-payer", "unknown-payee", "negative", "zero", "absurd", "kind", "status", "packet-cap", "self"],
)
def test_bad_rows_are_rejected_with_field_and_reason(ledger, row, field, reason) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.pay("b1", "o1", 100, "2016-03-01T10:00:00")
    args = {"payer": "b1", "payee": "o1", "yuan": 200, "kind": "red_packet", "status": "paid", "channel": "wechat"}
    args.update(row)
    ledger.pay(args.pop("payer"), args.pop("payee"), args.pop("yuan"), "2016-03-02T10:00:00", pid="BAD", **args)
    frame = PaymentFrame(ledger.tables())
    assert [(r.row, r.payment_id, r.field, r.reason) for r in frame.rejected] == [(2, "BAD", field, reason)]
    assert frame.n_payments == 1


def test_duplicate_ids_keep_one_exact_copy_and_reject_conflicts(ledger) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.pay("b1", "o1", 100, "2016-03-01T10:00:00", pid="D1")
    ledger.pay("b1", "o1", 100, "2016-03-01T10:00:00", pid="D1")
    ledger.pay("b1", "o1", 100, "2016-03-05T10:00:00", pid="D2")
    ledger.pay("b1", "o1", 150, "2016-03-05T10:00:00", pid="D2")
    frame = PaymentFrame(ledger.tables())
    assert [(r.row, r.payment_id, r.reason) for r in frame.rejected] == [
        (2, "D1", "exact duplicate of an earlier row"),
        (3, "D2", "duplicate payment id with different contents (2 rows)"),
        (4, "D2", "duplicate payment id with different contents (2 rows)"),
    ]
    assert frame.rows("SELECT pid FROM pay") == [{"pid": "D1"}]


def test_relations_naming_unknown_people_or_relations_are_reported(ledger) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.relate("o1", "b1", "managed")
    ledger.relate("o1", "zz", "managed")
    ledger.relate("o1", "b1", "friend")
    frame = PaymentFrame(ledger.tables())
    assert [(i.row, i.field, i.reason) for i in frame.relation_issues] == [
        (2, "other_id", "unknown person zz"), (3, "relation", "unknown relation friend")]


def test_day_is_the_shanghai_calendar_day_whatever_the_input_offset(ledger) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.pay("b1", "o1", 100, "2016-02-07T16:30:00+00:00", pid="UTC")  # 00:30 on the 8th in China
    ledger.pay("b1", "o1", 100, "2016-02-07T23:59:00+08:00", pid="CN")
    frame = PaymentFrame(ledger.tables())
    days = {r["pid"]: r["day"] for r in frame.rows("SELECT pid, day FROM pay")}
    assert days == {"UTC": day_number(date(2016, 2, 8)), "CN": day_number(date(2016, 2, 7))}


def test_returned_and_paid_back_gifts_do_not_count(ledger) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.pay("b1", "o1", 200, "2016-03-01T10:00:00", status="returned", pid="R1")
    ledger.pay("b1", "o1", 2000, "2016-03-02T10:00:00", kind="transfer", pid="T1")
    ledger.pay("o1", "b1", 2000, "2016-03-04T09:00:00", kind="transfer", pid="T1-back")  # 已退还 by transfer
    ledger.pay("b1", "o1", 2000, "2016-04-02T10:00:00", kind="transfer", pid="T2")
    ledger.pay("o1", "b1", 2000, "2016-05-20T10:00:00", kind="transfer", pid="T2-late")  # weeks later: not a refund
    frame = PaymentFrame(ledger.tables())
    counted = {r["pid"]: r["counted"] for r in frame.rows("SELECT pid, counted FROM pay")}
    assert counted == {"R1": False, "T1": False, "T1-back": True, "T2": True, "T2-late": True}


def test_what_cannot_be_analysed_is_said(ledger) -> None:  # type: ignore[no-untyped-def]
    _base(ledger)
    ledger.pay("b1", "o1", 100, "2016-03-01T10:00:00")
    assert PaymentFrame(ledger.tables()).notices == (
        "relations.csv is empty or absent: managed-party rules cannot apply and family packets cannot be "
        "told from gifts",
        "events.csv is empty or absent: no gifts around decisions, no vote-buying checks",
    )
    ledger.relate("o1", "b1", "family")
    ledger.event("E1", "2016-01-01", "bid", "o1", "b1")
    assert PaymentFrame(ledger.tables()).notices == ()


def test_naive_times_are_refused_not_guessed(ledger) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa
    import pyarrow.compute as pc

    from redline.errors import InputError

    _base(ledger)
    ledger.pay("b1", "o1", 100, "2016-03-01T10:00:00")
    tables = ledger.tables()
    pay = tables.payments
    naive = pay.set_column(pay.schema.get_field_index("time"), "time", pc.cast(pay.column("time"), pa.timestamp("us")))
    from dataclasses import replace

    with pytest.raises(InputError, match="naive timestamps refused"):
        PaymentFrame(replace(tables, payments=naive))


@pytest.mark.parametrize(("yuan", "rejected"), [(5e8, False), (1e9, False), (1e9 + 1, True)],
                         ids=["5亿", "10亿", "over-10亿"])
def test_the_absurd_amount_limit_is_the_bundles(ledger, yuan: float, rejected: bool) -> None:  # type: ignore[no-untyped-def]
    """A payment the bundle loads (up to 10⁹ yuan, bundle.schema.MAX_AMOUNT_FEN) is analysed, not rejected."""
    from redline.bundle.schema import MAX_AMOUNT_FEN

    _base(ledger)
    ledger.pay("b1", "o1", yuan, "2016-03-02T10:00:00", pid="BIG", kind="bank", channel="bank", status="paid")
    frame = PaymentFrame(ledger.tables())
    assert bool(frame.rejected) is rejected
    assert (round(yuan * 100) > MAX_AMOUNT_FEN) is rejected
