"""Statements of banks without a layout of their own are read by their column names."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.ingest.run import read_source

CASES = {
    # 建设银行-like: signed amounts, compact dates, counterparty and account in one cell
    "ccb": ("中国建设银行个人活期账户交易明细\n起始日期:20260101,结束日期:20260131\n"
            "序号,摘要,币别,钞汇,交易日期,交易金额,账户余额,交易地点/附言,对方账号与户名\n"
            "1,转账存入,人民币元,钞,20260116,\"2,000.00\",\"12,000.00\",节日慰问,6217000000000001/王老板\n"
            "2,消费,人民币元,钞,20260117,-35.50,\"11,964.50\",超市,/\n",
            [("in", 200000, "bank-name:6217000000000001/王老板"), ("out", 3550, None)]),
    # 邮储-like: separate time column
    "psbc": ("交易日期,交易时间,交易渠道,摘要,交易金额,账户余额,对方账号,对方户名\n"
             "2026-02-16,201502,手机银行,转账,5000.00,15000.00,6221000000000002,李某\n",
             [("in", 500000, "bank-name:李某")]),
    # 对公 statement: debit/credit columns (贷方 = money in for the account holder)
    "corporate": ("账号:110000000000,户名:某某粮站\n"
                  "交易时间,借方发生额,贷方发生额,余额,对方户名,对方账号,摘要,用途,流水号\n"
                  "2026-03-01 09:30:00,,8800.00,18800.00,某粮贸公司,6228000000000003,转账,往来款,F0001\n"
                  "2026-03-02 10:00:00,1200.00,,17600.00,某办公用品店,6228000000000004,转账,货款,F0002\n",
                  [("in", 880000, "bank-name:某粮贸公司"), ("out", 120000, "bank-name:某办公用品店")]),
    # unsigned amounts with a debit/credit mark
    "marked": ("交易日期,借贷标志,交易金额,余额,对方名称,摘要\n"
               "2026/04/05,贷,666.00,1666.00,张某,红包\n"
               "2026/04/06,借,66.00,1600.00,李某,转账\n",
               [("in", 66600, "bank-name:张某"), ("out", 6600, "bank-name:李某")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unlisted_bank_statement_lands(tmp_path: Path, name: str) -> None:
    text, expected = CASES[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="gb18030")
    result = read_source(path, "auto", "me")
    assert result.format == "bank-csv"
    assert any("bank layout: generic" in n for n in result.notes)
    assert result.quarantined == []
    payments = result.tables["payments"]
    got = [(p["direction"], p["amount_fen"], p["payer"] if p["direction"] == "in" else p["payee"]) for p in payments]
    for (direction, fen, party), (g_direction, g_fen, g_party) in zip(expected, got, strict=True):
        assert (g_direction, g_fen) == (direction, fen)
        if party is not None:
            assert g_party == party


def test_time_of_day_is_kept_from_a_combined_cell(tmp_path: Path) -> None:
    path = tmp_path / "corporate.csv"
    path.write_text(CASES["corporate"][0], encoding="utf-8")
    [first, _] = read_source(path, "auto", "me").tables["payments"]
    assert first["time"].isoformat() == "2026-03-01T09:30:00+08:00"


def test_a_bad_row_of_an_unlisted_bank_is_quarantined_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "psbc.csv"
    path.write_text(CASES["psbc"][0] + "2026-02-17,090000,柜面,转账,abc,1.00,x,y\n", encoding="utf-8")
    result = read_source(path, "auto", "me")
    [bad] = result.quarantined
    assert (bad.line, bad.field) == (3, "交易金额")


@pytest.mark.parametrize("text", [
    "工号,姓名,单位,职务,任职日期\nE1,张三,县粮食局,科员,2020-01-01\n",  # a roster: no money
    "日期,金额\n备注,说明\n",  # money and date names but no dated row under them
    "name,amount\nx,1\n",
])
def test_other_tables_are_not_taken_for_statements(tmp_path: Path, text: str) -> None:
    from redline.ingest.bank_csv import generic_layout
    from redline.ingest.tabular import csv_rows

    assert generic_layout(csv_rows(text)) is None
