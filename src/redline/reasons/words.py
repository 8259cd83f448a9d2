"""The words reason sentences share: categories, money, periods, payment kinds, relations, id lists.

Every helper takes plain facts (fen as int, dates as ISO strings, ids and names as str) and
returns a phrase in one language; the templates (`reasons.payments`, `reasons.groups`) put
the phrases into sentences. Chinese first, English second, as everywhere in a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

RELATION_ZH: Final = {
    "managed": "管理服务对象",
    "supplier": "供应商",
    "subordinate": "下属",
    "superior": "上级",
    "family": "亲属",
    "colleague": "同事",
}
RELATION_EN: Final = {
    "managed": "managed party",
    "supplier": "supplier",
    "subordinate": "subordinate",
    "superior": "superior",
    "family": "family member",
    "colleague": "colleague",
}
_KIND_ZH: Final = {"red_packet": ("红包", "个"), "transfer": ("转账", "笔"), "gift_card": ("电子礼券", "张"),
                   "bank": ("银行转账", "笔")}
_KIND_EN: Final = {"red_packet": "red packets", "transfer": "transfers", "gift_card": "gift cards",
                   "bank": "bank transfers"}

# Category names as reviewers say them (vocab.Category value → 中文).
CATEGORY_ZH: Final[Mapping[str, str]] = {
    "political": "政治言论",
    "secrets": "涉密信息",
    "privacy": "个人信息",
    "rumour": "谣言传播",
    "vulgar": "低俗内容",
    "promotion": "商业推广",
    "gifts": "收送红包礼品",
    "gambling": "赌博",
    "superstition": "封建迷信",
    "factions": "拉帮结派",
    "vote_buying": "拉票贿选",
    "flattery": "吹捧奉承",
    "off_topic": "与工作无关",
    "governance": "工作群管理",
    "conduct": "工作作风",
}

# How many ids a sentence quotes; the full lists stay in `facts` and `related_ids`.
MAX_QUOTED: Final = 5


def yuan(fen: int) -> str:
    """Fen as yuan with thousands separators and two decimals: 420000 → '4,200.00'."""
    return f"{fen / 100:,.2f}"


def period_zh(first: str, last: str) -> str:
    """'在 2016-03-01 至 2016-08-10 期间' or '于 2016-03-01 ' (followed by a verb); ISO dates."""
    return f"于 {first} " if first == last else f"在 {first} 至 {last} 期间"


def period_en(first: str, last: str) -> str:
    """'between 2016-03-01 and 2016-08-10' or 'on 2016-03-01'; ISO dates."""
    return f"on {first}" if first == last else f"between {first} and {last}"


def kinds_zh(kinds: Sequence[str], count: int) -> str:
    """'红包 21 个' for one kind; '款项 3 笔' when kinds are mixed."""
    if len(set(kinds)) == 1 and kinds[0] in _KIND_ZH:
        word, unit = _KIND_ZH[kinds[0]]
        return f"{word} {count} {unit}"
    return f"款项 {count} 笔"


def kinds_en(kinds: Sequence[str], count: int) -> str:
    """'21 red packets' for one kind; '3 payments' when kinds are mixed."""
    if len(set(kinds)) == 1 and kinds[0] in _KIND_EN:
        word = _KIND_EN[kinds[0]]
        return f"{count} {word if count > 1 else word.rstrip('s')}"
    return f"{count} payment{'s' if count > 1 else ''}"


def role_zh(relation: str | None, official: bool, external: bool) -> str:
    """How a payer stands to the official, for the sentence: relation first, else status."""
    if relation:
        return RELATION_ZH.get(relation, relation)
    if external:
        return "外部人员，未登记关系"
    return "公职人员，未登记关系" if official else "非公职人员，未登记关系"


def role_en(relation: str | None, official: bool, external: bool) -> str:
    """English twin of `role_zh`."""
    if relation:
        return RELATION_EN.get(relation, relation)
    if external:
        return "outside party, no relation listed"
    return "official, no relation listed" if official else "non-official, no relation listed"


def quote_ids(ids: Sequence[str], limit: int = MAX_QUOTED) -> str:
    """`a、b、c 等 7 项` style list for sentences (Chinese enumeration comma)."""
    shown = "、".join(" ".join(i.split()) for i in ids[:limit])
    return shown if len(ids) <= limit else f"{shown} 等 {len(ids)} 项"


def quote_ids_en(ids: Sequence[str], limit: int = MAX_QUOTED) -> str:
    """`a, b, c and 4 more` style list for English sentences."""
    shown = ", ".join(" ".join(i.split()) for i in ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def person_label(person_id: str, name: str | None) -> str:
    """`张三(p001)`: reviewers recognise names, the id keeps it unambiguous."""
    return f"{name}({person_id})" if name else person_id
