"""Accounts linked to people: a roster's `weibo_uid` and `wechat_id` columns name who writes as whom.

Exports name their authors by account (a Weibo uid, a wxid); the roster names people by 工号.
When one ingest reads both, every row an account wrote is re-keyed to the person, so a post on
Weibo and a message in a work group count for the same official. Accounts nobody claims stay
as they are: external people, as any unknown sender.
"""

from __future__ import annotations

from typing import Final

from redline.ingest.result import Row
from redline.ingest.values import clean

# (table, column) holding a person; a Weibo account appears as weibo:<uid>, a wxid as itself
PERSON_COLUMNS: Final = (("messages", "sender"), ("payments", "payer"), ("payments", "payee"),
                         ("memberships", "person_id"))


def account_map(people: list[Row]) -> dict[str, str]:
    """Account id as exports write it → person_id, from the roster's account columns."""
    accounts: dict[str, str] = {}
    for person in people:
        if uid := clean(person.get("weibo_uid")):
            accounts[f"weibo:{uid}"] = person["person_id"]
        if wxid := clean(person.get("wechat_id")):
            accounts[wxid] = person["person_id"]
    return accounts


def link_accounts(tables: dict[str, list[Row]]) -> int:
    """Re-key rows written by a linked account to its person; returns how many cells changed."""
    accounts = account_map(tables.get("people", []))
    if not accounts:
        return 0
    changed = 0
    for table, column in PERSON_COLUMNS:
        for row in tables.get(table, []):
            person = accounts.get(row.get(column) or "")
            if person is not None and person != row[column]:
                row.setdefault(f"{column}_account", row[column])
                row[column] = person
                changed += 1
    return changed
