"""WeCom archive lines (decrypted JSON, one message a line) for the live tests; neutral words only."""

from __future__ import annotations

import json
from typing import Final

VIOLATING: Final = "王老板发来一个红包：以后多关照"  # a gift offer (收受礼金): fires the gift rules
ORDINARY: Final = ("明天上午九点开会", "材料已经发到邮箱", "收到，谢谢", "下午三点到会议室")
T0_MS: Final = 1_764_000_000_000


def line(msgid: str, text: str, *, sender: str = "zhangsan", to: str = "lisi", room: str = "", n: int = 0) -> str:
    """One archive message as its JSON line (with the newline)."""
    record = {"msgid": msgid, "action": "send", "from": sender, "tolist": [to], "roomid": room,
              "msgtime": T0_MS + n * 1000, "msgtype": "text", "text": {"content": text}}
    return json.dumps(record, ensure_ascii=False) + "\n"


def packet(msgid: str, sender: str, to: str, fen: int, *, day: int) -> str:
    """A one-to-one red packet (红包) of `fen`, `day` days after T0."""
    record = {"msgid": msgid, "action": "send", "from": sender, "tolist": [to], "roomid": "",
              "msgtime": T0_MS + day * 86_400_000, "msgtype": "redpacket",
              "redpacket": {"type": 1, "wish": "恭喜发财", "totalcnt": 1, "totalamount": fen}}
    return json.dumps(record, ensure_ascii=False) + "\n"
