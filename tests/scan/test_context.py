"""What the store tells the engine about a message's conversation."""

from __future__ import annotations

import pytest

from redline.rules.plan import MessageContext, Scope
from redline.scan.context import message_context

GROUPS = {"G1": "department"}


@pytest.mark.parametrize(("conversation", "expected"), [
    ("G1", MessageContext("department", "group", "G1", "p1")),
    ("dm:p1|p2", MessageContext(None, "private", None, "p1")),
    ("weibo:5800000051", MessageContext(None, "public", None, "p1")),
    ("moments:wxid_abc", MessageContext(None, "public", None, "p1")),
    ("G9", MessageContext(None, None, "G9", "p1")),  # a group missing from groups.csv stays unknown
])
def test_context_of_each_kind_of_conversation(conversation: str, expected: MessageContext) -> None:
    assert message_context(conversation, "p1", GROUPS) == expected


def test_a_group_only_rule_does_not_apply_to_a_public_post() -> None:
    group_only = Scope((), ("group",))
    assert not group_only.applies(message_context("weibo:1", "p1", GROUPS))
    assert Scope((), ("public",)).applies(message_context("moments:w", "p1", GROUPS))
