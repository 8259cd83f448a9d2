"""Compiling a PackSet into a ScanPlan: each detector factory built ONCE with all its triggers.

This is the one place detectors are built: the text rules' detectors, and the text probes
of the record analyzers that run detectors over their tables (`ScanPlan.probes`, per
record trigger; see `rules.probes`). `record_plan` compiles record triggers alone, for
`groups audit --defaults`, tests and benches.

Dead triggers (an organisation-supplied term list still empty) and rules with no live
trigger are not compiled; they are listed in `plan.not_covered` with the reason, so that
coverage reports say plainly what the plan cannot see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from redline.contracts import BuildContext, ProbeSet, ProbesText, TextDetector, Trigger
from redline.errors import PackError
from redline.rules.checks import empty_lists_reason
from redline.rules.lexicons import SHIPPED_DIR, Lexicon, as_build_lexicons, load_lexicons
from redline.rules.load import LoadedRule, PackSet, Registry, TriggerSpec
from redline.rules.plan import NotCovered, RuleRef, ScanPlan, Scope
from redline.rules.probes import Probe, build_probes, probe_triggers

NO_TRIGGER = "no automatic check: the rule has no `when` entry"
NO_TRIGGER_ZH = "未覆盖：该条没有自动检查"


def _scope(lr: LoadedRule) -> Scope | None:
    s = lr.rule.scope
    if s is None or (not s.group_types and not s.conversations):
        return None
    return Scope(tuple(str(g) for g in s.group_types), tuple(s.conversations))


def rule_ref(lr: LoadedRule, spec: TriggerSpec) -> RuleRef:
    """The RuleRef a finding of this trigger carries."""
    return RuleRef(
        rule_id=lr.rule.id,
        pack=lr.pack.pack,
        pack_version=lr.pack.version,
        category=spec.category,
        severity=str(lr.rule.severity),
        title=lr.rule.title,
        text=lr.rule.text,
        detector=spec.key,
        label=spec.trigger.label,
        scope=_scope(lr),
        min_score=spec.min_score,
        pack_title=lr.pack.title,
    )


def compile_plan(
    packset: PackSet, *, registry: Registry | None = None, cache_dir: Path | None = None
) -> ScanPlan:
    """Build the plan; a factory that rejects its triggers raises PackError (scanners stop)."""
    registry = registry or Registry.default()
    rules: dict[str, RuleRef] = {}
    text_triggers: dict[str, list[Trigger]] = defaultdict(list)
    record_triggers: dict[str, list[Trigger]] = defaultdict(list)
    not_covered: list[NotCovered] = []
    disabled: list[str] = []
    probes: dict[str, tuple[Probe, ...]] = {}
    for lr in packset.rules:
        rid, pack = lr.rule.id, lr.pack.pack
        if not lr.enabled:
            disabled.append(rid)
            continue
        if not lr.rule.when:
            notes = f" ({lr.rule.notes})" if lr.rule.notes else ""  # the pack says why, if it does
            not_covered.append(NotCovered(rid, pack, NO_TRIGGER + notes, NO_TRIGGER_ZH))
            continue
        live = 0
        for spec in lr.triggers:
            if spec.empty_lexicons:
                en, zh = empty_lists_reason(spec.empty_lexicons)
                not_covered.append(NotCovered(rid, pack, en, zh, label=spec.trigger.label))
                continue
            live += 1
            rules[spec.trigger.label] = rule_ref(lr, spec)
            target = text_triggers if spec.kind == "text" else record_triggers
            target[spec.key].append(spec.trigger)
            if spec.probes:
                probes[spec.trigger.label] = spec.probes
        if live == 0 and lr.triggers:
            en, zh = empty_lists_reason(n for spec in lr.triggers for n in spec.empty_lexicons)
            not_covered.append(NotCovered(rid, pack, en, zh))
    ctx = BuildContext(lexicons=as_build_lexicons(packset.lexicons), cache_dir=cache_dir)
    detectors: list[TextDetector] = []
    for key in sorted(text_triggers):
        factory = registry.text[key]
        try:
            detectors.append(factory.build(text_triggers[key], ctx))
        except PackError:
            raise
        except (ValueError, TypeError) as exc:
            raise PackError(f"detector {key!r} rejected its triggers: {exc}") from exc
    return ScanPlan(
        detectors=tuple(detectors),
        rules=rules,
        record_triggers={k: tuple(v) for k, v in sorted(record_triggers.items())},
        version=packset.version,
        not_covered=tuple(not_covered),
        disabled=tuple(disabled),
        pack_versions={p.pack: p.version for p in packset.packs},
        lexicons=dict(ctx.lexicons),
        probes=_build_all(probes, registry, ctx),
    )


def _build_all(probes: Mapping[str, Sequence[Probe]], registry: Registry, ctx: BuildContext) -> dict[str, ProbeSet]:
    return {label: build_probes(p, registry.text, ctx) for label, p in sorted(probes.items())}


def record_plan(
    triggers: Mapping[str, Sequence[Trigger]], *, lexicons: Mapping[str, Lexicon] | None = None,
    registry: Registry | None = None, version: str = "record-plan",
) -> ScanPlan:
    """A plan of record triggers alone, with no rules: their probes validated and built.

    For `groups audit --defaults`, tests and benches, which run analyzers with configs of
    their own. `lexicons` default to the shipped lists, read by the loader (with its checks).
    """
    registry = registry or Registry.default()
    if lexicons is None:
        errors: list[PackError] = []
        lexicons = load_lexicons([SHIPPED_DIR], errors)
        if errors:
            raise errors[0]
    probes: dict[str, tuple[Probe, ...]] = {}
    for key, trigs in triggers.items():
        analyzer = registry.record[key]
        if issubclass(analyzer, ProbesText):
            for trigger in trigs:
                probes[trigger.label] = probe_triggers(trigger, analyzer, registry.text, lexicons)
    ctx = BuildContext(lexicons=as_build_lexicons(lexicons))
    return ScanPlan(
        detectors=(), rules={}, record_triggers={k: tuple(v) for k, v in sorted(triggers.items())},
        version=version, lexicons=dict(ctx.lexicons), probes=_build_all(probes, registry, ctx),
    )
