"""A message's context for scoped rules: group messages carry their group's type, `dm:` is private,
a public post (Weibo `weibo:<uid>`, 朋友圈 `moments:<wxid>`) is public."""

from __future__ import annotations

from typing import Final

from redline.rules.plan import MessageContext

PUBLIC_PREFIXES: Final = ("weibo:", "moments:")  # conversations of public posts (ingest/weibo, ingest/moments)


def message_context(conversation: str, sender: str, group_types: dict[str, str]) -> MessageContext:
    """What the store tells about a message: `dm:a|b` is private, a listed group has a type.

    A conversation that is neither (a group missing from groups.csv) stays unknown, and an
    unknown context never excludes a rule.
    """
    if conversation in group_types:
        return MessageContext(group_types[conversation], "group", conversation, sender or None)
    if conversation.startswith("dm:"):
        return MessageContext(None, "private", None, sender or None)
    if conversation.startswith(PUBLIC_PREFIXES):
        return MessageContext(None, "public", None, sender or None)
    return MessageContext(None, None, conversation or None, sender or None)
