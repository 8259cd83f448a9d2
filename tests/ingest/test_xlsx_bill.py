"""Newer WeChat Pay exports are .xlsx with plain numbers and a preamble of varying length."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from redline.ingest.run import read_source

HEADER = ["交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式", "当前状态", "交易单号", "商户单号", "备注"]


def _bill(path: Path, preamble_lines: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["微信支付账单明细"])
    for n in range(preamble_lines):
        sheet.append([f"注：说明第{n + 1}条"])
    sheet.append(["----------------------微信支付账单明细列表--------------------"])
    sheet.append(HEADER)
    sheet.append([datetime(2026, 2, 16, 20, 1, 2),  # noqa: DTZ001 - workbooks hold naive local times
                  "微信红包", "王老板", "/", "收入", 200, "/", "已存入零钱",
                  "1000050001202602160001", "1000039901202602160001", "/"])
    sheet.append(["2026-02-17 09:00:00", "转账", "李某", "/", "收入", 5000.5, "/", "已收钱",
                  "1000050001202602170002", "/", "/"])
    sheet.append(["not a time", "转账", "李某", "/", "收入", 1, "/", "已收钱", "x", "/", "/"])
    book.save(path)
    return path


def test_xlsx_bill_found_by_header_not_line_count(tmp_path: Path) -> None:
    for preamble in (14, 15):  # the 2026 export has one more note line
        result = read_source(_bill(tmp_path / f"bill{preamble}.xlsx", preamble), "auto", "me")
        assert result.format == "wechat-pay"
        payments = result.tables["payments"]
        assert [(p["kind"], p["amount_fen"], p["payer"]) for p in payments] == [
            ("red_packet", 20000, "wechat-name:王老板"), ("transfer", 500050, "wechat-name:李某")]
        assert payments[0]["time"].isoformat() == "2026-02-16T20:01:02+08:00"
        [bad] = result.quarantined
        assert (bad.line, bad.field) == (preamble + 6, "交易时间")
