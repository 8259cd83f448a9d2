"""The ScanPlan: a compiled, immutable, picklable pack set that the scan engine executes.

`rules.compile` (this package) builds it once per process (or Spark executor) from packs + lexicons +
organisation overrides; `scan.engine.scan_batch(plan, texts, contexts=None)` runs every
detector of `plan.detectors` once per batch and maps each `Hit` back to its rule through
`plan.rules[hit.label]`. Record analyzers (payments.*, groups.*) get their triggers from
`plan.record_triggers`. The engine never names a concrete detector, and drops hits whose
label is not in `plan.rules` (a plan narrowed with `ScanPlan.only`) or that the RuleRef does
not accept (`RuleRef.accepts(score, ctx)`: min_score and scope).

Conventions between a factory's pydantic `Config` and the packs' `when:` entries, relied on
by `rules.load`:
- `- lexicon: gift-offers` (a scalar or a list) is shorthand for the Config's FIRST field,
  i.e. `{<first field>: gift-offers}`; a mapping is validated as the Config itself.
- every Config field named `lexicon` / `lexicons` or ending in `_lexicon` / `_lexicons`
  holds lexicon names (str or list of str): the loader checks they exist ("did you mean"),
  and `BuildContext.lexicons` carries their terms (after organisation overrides) keyed by
  name. Per-term flags (`红包|pinyin|initials`) are kept verbatim in the term string.
- `Trigger.label` is unique in the plan and stable across edits of other entries:
  `<rule_id>#<registry key>[:<lexicons>]`, e.g. "TJ-06#gift_offer", "TJ-06#lexicon:gift-offers"
  (a repeated key and lists gets ".2"). Treat it as opaque.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from redline.contracts import ProbeSet, TextDetector, Trigger


@dataclass(frozen=True, slots=True)
class MessageContext:
    """What the engine may know about one message beyond its text (None = unknown).

    `group_type` is a vocab.GroupType value; `conversation` is "group" or "private".
    `redline screen` has no context at all; `redline scan` fills it from the store.
    """

    group_type: str | None = None
    conversation: str | None = None  # "group" | "private" | "public" (a Weibo or 朋友圈 post)
    group_id: str | None = None
    sender_id: str | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a rule applies; an empty tuple field means "any".

    Unknown context (None fields, or no context at all) never excludes a rule: a text screen
    without metadata should still raise the lead, and the reviewer sees the context later.
    """

    group_types: tuple[str, ...] = ()
    conversations: tuple[str, ...] = ()

    def applies(self, ctx: MessageContext | None) -> bool:
        """True if a message with context `ctx` is inside this scope."""
        if ctx is None:
            return True
        if self.group_types and ctx.group_type is not None and ctx.group_type not in self.group_types:
            return False
        return not (
            self.conversations
            and ctx.conversation is not None
            and ctx.conversation not in self.conversations
        )


@dataclass(frozen=True, slots=True)
class RuleRef:
    """Everything a finding needs about the rule behind one trigger label."""

    rule_id: str  # "TJ-06"
    pack: str  # "tianjin-2017"
    pack_version: str  # the pack's `version:` field
    category: str  # vocab.Category value
    severity: str  # vocab.Severity value
    title: str  # short title of the rule (English or Chinese, for tables)
    text: str  # the official wording, verbatim from the regulation
    detector: str  # registry key of the trigger ("lexicon", "payments.large_sums")
    label: str  # the trigger label (same as the key in ScanPlan.rules)
    scope: Scope | None = None  # None: everywhere
    min_score: float = 0.0  # hits scoring below this are dropped by the engine
    pack_title: str = ""

    def accepts(self, score: float, ctx: MessageContext | None = None) -> bool:
        """True if a hit with this score, in this context, should become a finding."""
        if score < self.min_score:
            return False
        return self.scope is None or self.scope.applies(ctx)


@dataclass(frozen=True, slots=True)
class NotCovered:
    """A rule (or one trigger of it) that cannot raise findings with this plan, and why."""

    rule_id: str
    pack: str
    reason: str  # English, plain: "organisation-supplied term list 'org-political' is empty"
    reason_zh: str = ""
    label: str | None = None  # the trigger, when only part of a rule is dead


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """An immutable, picklable compiled pack set.

    `detectors`: one built detector per text registry key, serving every trigger of that key.
    `rules`: trigger label → RuleRef, for text AND record triggers (labels are unique).
    `record_triggers`: record-analyzer registry key → its triggers (validated configs).
    `version`: hash of packs + overrides + lexicons; `redline scan` rescans when it changes.
    `not_covered`: rules or triggers that are dead in this plan, with the reason.
    `disabled`: rule ids switched off by the organisation overrides file.
    `lexicons`: the resolved term lists the detectors were built with.
    `probes`: record trigger label → the text detectors built for that trigger's analyzer
    (`contracts.ProbesText`); `scan.records.analyzer_for` hands them over in a BuildContext.
    """

    detectors: tuple[TextDetector, ...]
    rules: Mapping[str, RuleRef]
    record_triggers: Mapping[str, tuple[Trigger, ...]]
    version: str
    not_covered: tuple[NotCovered, ...] = ()
    disabled: tuple[str, ...] = ()
    pack_versions: Mapping[str, str] = field(default_factory=dict)  # pack id → version
    # lexicon name → terms after the organisation's dirs and overrides (BuildContext.lexicons)
    lexicons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    probes: Mapping[str, ProbeSet] = field(default_factory=dict)

    def rule(self, label: str) -> RuleRef:
        """The RuleRef of a trigger label (KeyError if the label is not in the plan)."""
        return self.rules[label]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule id that has at least one live trigger, sorted."""
        return tuple(sorted({ref.rule_id for ref in self.rules.values()}))

    def labels_for(self, rule_id: str) -> tuple[str, ...]:
        """The trigger labels of one rule, sorted."""
        return tuple(sorted(lb for lb, ref in self.rules.items() if ref.rule_id == rule_id))

    def only(self, rule_ids: Sequence[str]) -> ScanPlan:
        """A plan view whose `rules` keep only these rule ids (detectors are shared, unchanged).

        Used by `packs test` to check one rule's examples without rebuilding detectors: the
        engine drops hits whose label is not in `rules`.
        """
        keep = set(rule_ids)
        return ScanPlan(
            detectors=self.detectors,
            rules={lb: ref for lb, ref in self.rules.items() if ref.rule_id in keep},
            record_triggers={
                key: tuple(t for t in triggers if t.rule_id in keep)
                for key, triggers in self.record_triggers.items()
            },
            version=self.version,
            not_covered=tuple(n for n in self.not_covered if n.rule_id in keep),
            disabled=self.disabled,
            pack_versions=self.pack_versions,
            lexicons=self.lexicons,
            probes=self.probes,
        )
