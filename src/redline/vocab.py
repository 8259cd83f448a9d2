"""The fixed vocabularies shared by packs, bundles, findings and the console."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Category(StrEnum):
    """Finding categories: one vocabulary so findings of different packs count together."""

    POLITICAL = "political"
    SECRETS = "secrets"
    PRIVACY = "privacy"
    RUMOUR = "rumour"
    VULGAR = "vulgar"
    PROMOTION = "promotion"
    GIFTS = "gifts"
    GAMBLING = "gambling"
    SUPERSTITION = "superstition"
    FACTIONS = "factions"
    VOTE_BUYING = "vote_buying"
    FLATTERY = "flattery"
    OFF_TOPIC = "off_topic"
    GOVERNANCE = "governance"
    CONDUCT = "conduct"


# the categories the conduct classifier learns: every one but the organisation-supplied and group checks
CONDUCT_CATEGORIES: Final = tuple(c.value for c in Category if c not in (Category.POLITICAL, Category.GOVERNANCE))


class Severity(StrEnum):
    """How urgent a lead is for the reviewer; ordered by RANK."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def rank_of(cls, value: str | None) -> int:
        """The rank of a severity name; 0 for "" or an unknown name (sorts below low)."""
        return _SEVERITY_RANK.get(value, 0) if isinstance(value, str) else 0  # type: ignore[call-overload]

    @classmethod
    def rank_sql(cls, column: str, unknown: int = 1) -> str:
        """A SQL CASE giving the rank of the severity held in `column` (`unknown` otherwise).

        Generated from `rank`, so a query never restates the order.
        """
        whens = " ".join(f"WHEN '{s.value}' THEN {s.rank}" for s in cls)
        return f"CASE {column} {whens} ELSE {unknown} END"


_SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class Relation(StrEnum):
    """Relations between people in relations.csv."""

    MANAGED = "managed"  # 管理服务对象: a business or person the official regulates or serves
    SUPPLIER = "supplier"
    SUBORDINATE = "subordinate"
    SUPERIOR = "superior"
    FAMILY = "family"
    COLLEAGUE = "colleague"


class PaymentKind(StrEnum):
    """What kind of payment a row is."""

    RED_PACKET = "red_packet"  # 微信红包
    TRANSFER = "transfer"  # 转账
    GIFT_CARD = "gift_card"  # 电子礼券, 购物卡, 加油卡
    BANK = "bank"


class Channel(StrEnum):
    """Where a payment went through."""

    WECHAT = "wechat"
    WECOM = "wecom"
    ALIPAY = "alipay"
    BANK = "bank"
    OTHER = "other"


class PaymentStatus(StrEnum):
    """Status of a payment; returned and refunded payments mitigate."""

    PAID = "paid"
    RECEIVED = "received"
    RETURNED = "returned"  # 已退还
    REFUNDED = "refunded"
    EXPIRED = "expired"


class MessageType(StrEnum):
    """Message types of messages.jsonl; unknown source types become OTHER."""

    TEXT = "text"
    IMAGE = "image"
    FILE = "file"
    VOICE = "voice"
    VIDEO = "video"
    LINK = "link"
    RED_PACKET = "red_packet"
    TRANSFER = "transfer"
    REVOKE = "revoke"
    SYSTEM = "system"
    POST = "post"  # a public post (Weibo, 朋友圈 Moments): the author's own words
    REPOST = "repost"  # a forwarded post: the text is the forwarder's comment (转发理由), the original is quoted
    OTHER = "other"


class GroupType(StrEnum):
    """Work-group types (咸阳 管理办法 distinguishes work groups by purpose)."""

    LEADERSHIP = "leadership"  # 领导班子群 / 常委群
    DEPARTMENT = "department"  # 单位/部门工作群
    TASK = "task"  # 专项工作群 (招商引资, 重点工作)
    LIAISON = "liaison"  # 联络群 (with external parties)
    SOCIAL = "social"  # 非工作群 (family, friends)
    OTHER = "other"


class EventKind(StrEnum):
    """Organisation events that gifts cluster around (events.csv)."""

    ELECTION = "election"
    PROMOTION = "promotion"
    BID = "bid"
    APPROVAL = "approval"
    INSPECTION = "inspection"
    LEAVE = "leave"  # 请假: approved leave of person_id on that date (one row a day); no report is owed


class Subject(StrEnum):
    """What a finding is about."""

    MESSAGE = "message"
    PAYMENT = "payment"
    GROUP = "group"
    PERSON = "person"
    FILE = "file"
