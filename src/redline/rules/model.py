"""The rule-pack schema: Pack, Rule, When, Examples, Scope (pydantic, frozen).

A pack is one source regulation (天津 "十严禁", 浙江 "十条戒律", …). A rule keeps the
official wording verbatim in `text`; `when` lists its triggers, each `{<registry key>: config}`
(validated later against the registry factory's Config, see rules.load); `examples` are run
by `redline packs test`. Rule ids such as TJ-06 are never reused for another meaning.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from redline.vocab import Category, GroupType, Severity

RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]{1,5}-[0-9]{2}[a-z]?$"  # TJ-06, ZJ-10, WG-01, FX-02a
PACK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Source(_Frozen):
    """Where the regulation was published or reported (the seed report, with its date)."""

    title: str = Field(min_length=1)  # the report's headline
    publisher: str = Field(min_length=1)  # e.g. 平顶山日报 (reprinting 新京报)
    date: dt.date
    url: str | None = None
    quote: str | None = None  # how the report names the regulation


class Examples(_Frozen):
    """Texts a rule must flag (`match`) and must leave alone (`no_match`)."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()

    @field_validator("match", "no_match")
    @classmethod
    def _non_empty_texts(cls, texts: tuple[str, ...]) -> tuple[str, ...]:
        if any(not t.strip() for t in texts):
            raise ValueError("an example text is empty")
        return texts


class RuleScope(_Frozen):
    """Where a rule applies: group types (vocab.GroupType) and conversation kinds; empty = any."""

    group_types: tuple[GroupType, ...] = ()
    conversations: tuple[Literal["group", "private", "public"], ...] = ()  # public: Weibo, 朋友圈 posts


class When(_Frozen):
    """One trigger: exactly one registry key with its raw config, plus optional refinements.

    `category` lets one trigger of a broad rule file its findings under another category
    (TJ-09 covers rumours AND other people's privacy); `min_score` drops weak hits.
    """

    key: str
    config: Any = None  # raw YAML value; validated against the factory's Config in rules.load
    category: Category | None = None
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("a `when` entry is a mapping {<detector key>: <config>}")
        if "key" in value:  # already in model form
            return value
        extras = {k: value[k] for k in ("category", "min_score") if k in value}
        keys = [k for k in value if k not in extras]
        if len(keys) != 1:
            raise ValueError(
                f"a `when` entry names exactly one detector key, got {len(keys)}: {sorted(map(str, keys))}"
            )
        return {"key": str(keys[0]), "config": value[keys[0]], **extras}


class Rule(_Frozen):
    """One rule of a regulation, with its official wording."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)  # short, for tables
    text: str = Field(min_length=1)  # the official wording, verbatim
    category: Category
    severity: Severity
    when: tuple[When, ...] = ()
    scope: RuleScope | None = None
    params: dict[str, Any] = Field(default_factory=dict)  # regulation parameters, overridable
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    # a finding on a public post (Weibo, 朋友圈) reposted at least this often is one severity
    # level more urgent: a post reaches far beyond a work group
    urgent_reposts: int | None = Field(default=None, ge=1)
    notes: str = ""  # how the rule is read, what it does not cover
    examples: Examples = Field(default_factory=Examples)


class Pack(_Frozen):
    """One regulation as a pack of rules."""

    pack: str = Field(pattern=PACK_ID_PATTERN)
    title: str = Field(min_length=1)
    issued_by: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    version: str = Field(min_length=1)
    source: Source
    description: str = ""
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _has_rules(self) -> Pack:
        # an after-validator, so that it stays quiet when some rules already failed
        if not self.rules:
            raise ValueError("a pack has at least one rule")
        return self
