"""The one entry point of reasons: every analyzer finding's (zh, en) sentences from (key, facts).

Payment typologies and group checks name a reason key and pass facts; this module finds the
key's template (`reasons.payments`, `reasons.groups`, `reasons.posts`) and renders it. An unknown key or a
missing fact is a `ReasonError` naming the key (and the field), never a half sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from redline.reasons.groups import GROUPS
from redline.reasons.payments import PAYMENTS
from redline.reasons.posts import POSTS
from redline.reasons.template import Facts, ReasonError, Template

TEMPLATES: Final[Mapping[str, Template]] = {**PAYMENTS, **GROUPS, **POSTS}


def render(key: str, facts: Facts) -> tuple[str, str]:
    """(zh, en) sentences of reason `key` from `facts`."""
    template = TEMPLATES.get(key)
    if template is None:
        raise ReasonError(f"no reason template has the key {key!r}", key=key)
    return template.render(facts)
