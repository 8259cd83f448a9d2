"""Joining chat red packets to bill rows, and merging what sources say about one row."""

from __future__ import annotations

from pathlib import Path

from redline.bundle import read_bundle
from redline.ingest.run import ingest

PACKET_XML = """<msg><appmsg appid="" sdkver=""><type>2001</type><title>微信红包</title>
<wcpayinfo><nativeurl><![CDATA[wxpay://c2cbizmessagehandler/hongbao/receivehongbao?sendid=1000039901202401127291056629415&sendusername=wxid_trader&total_num=1]]></nativeurl>
<receivertitle><![CDATA[以后多关照]]></receivertitle><invalidtime>1705131411</invalidtime></wcpayinfo></appmsg>
<fromusername>wxid_trader</fromusername></msg>"""

BILL = """微信支付账单明细,,,,,,,,,,
微信昵称：[张某],,,,,,,,,,
----------------------微信支付账单明细列表--------------------,,,,,,,,,,
交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注
2024-01-12 15:37:01,微信红包,王老板,/,收入,¥200.00,/,已存入零钱,10000399012024011200001	,1000039901202401127291056629415	,/
2024-01-13 09:00:00,微信红包-退款,李某,/,收入,¥88.00,/,已全额退款,10000399012024011300002	,1000039901202401130000000000001	,/
"""


def test_chat_packet_takes_amount_and_status_from_the_bill(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "packet.xml").write_text(PACKET_XML, encoding="utf-8")
    (tmp_path / "in" / "bill.csv").write_text(BILL, encoding="utf-8")
    report = ingest([tmp_path / "in"], tmp_path / "b", owner="zhang")
    assert report.joined_from_bills == 1
    payments = read_bundle(tmp_path / "b").tables.payments.to_pylist()
    assert len(payments) == 2  # the joined bill row is folded into the chat packet
    packet = next(p for p in payments if p["packet_id"] == "1000039901202401127291056629415")
    assert (packet["amount_fen"], packet["status"], packet["payer"]) == (20000, "received", "wxid_trader")
    refund = next(p for p in payments if p["payment_id"] != packet["payment_id"])
    assert refund["status"] == "refunded"


def test_transfer_notices_of_one_transfer_become_one_payment(tmp_path: Path) -> None:
    sent = """<msg><appmsg><type>2000</type><wcpayinfo><paysubtype>1</paysubtype><feedesc>￥5,000.00</feedesc>
<transferid>T1</transferid><begintransfertime>1495600000</begintransfertime><payer_username>villager</payer_username>
<receiver_username>official</receiver_username></wcpayinfo></appmsg></msg>"""
    received = sent.replace("<paysubtype>1</paysubtype>", "<paysubtype>3</paysubtype>")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xml").write_text(sent, encoding="utf-8")
    (tmp_path / "in" / "b.xml").write_text(received, encoding="utf-8")
    ingest([tmp_path / "in"], tmp_path / "b")
    [payment] = read_bundle(tmp_path / "b").tables.payments.to_pylist()
    assert (payment["amount_fen"], payment["status"], payment["payer"], payment["payee"]) == (
        500000, "received", "villager", "official")
