"""Text probes of record analyzers: validated like a pack's `when:` entries, built like its detectors.

A group check (`groups.flattery`, `groups.classified_content`, …) names the text detectors
it runs as `when:`-style entries in its config (`ProbesText.probes(config)`). They are
checked here with the loader's rules — the registry key exists, the "first field"
shorthand, the factory's Config, lexicon names that exist ("did you mean") — and built
once per record trigger with the plan's BuildContext, so the analyzer receives detectors
that saw the organisation's lexicons and overrides, exactly as the screening engine's do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from redline.contracts import BuildContext, ProbeSet, ProbesText, TextDetectorFactory, Trigger
from redline.errors import PackError, SourceLocation
from redline.rules.checks import check_lexicon_refs
from redline.rules.lexicons import Lexicon
from redline.specs.hints import did_you_mean

Probe = tuple[str, Trigger]  # (text registry key, validated trigger)


def as_config_mapping(key: str, config_cls: type[BaseModel], raw: Any) -> tuple[dict[str, Any], str | None]:
    """A `when:` value as a mapping for `config_cls`, and the field a shorthand stood for.

    `None` is `{}`; a scalar or list stands for the Config's FIRST field (the packs'
    shorthand, `- lexicon: gift-offers`); a mapping is the Config itself.
    """
    if raw is None:
        return {}, None
    if isinstance(raw, Mapping):
        return dict(raw), None
    fields = list(config_cls.model_fields)
    if not fields:
        raise PackError(f"{key!r} takes no value; write `{key}: {{}}`")
    return {fields[0]: raw}, fields[0]


def probe_triggers(
    parent: Trigger, analyzer: type[ProbesText], text: Mapping[str, type[TextDetectorFactory]],
    lexicons: Mapping[str, Lexicon], where: SourceLocation | None = None,
) -> tuple[Probe, ...]:
    """The validated text triggers of one record trigger's probes (PackError on the first fault).

    Labels are `<record label>~<i>`: unique in the plan, and private to the analyzer.
    """
    out: list[Probe] = []
    for i, (key, raw) in enumerate(analyzer.probes(parent.config).items()):
        factory = text.get(key)
        if factory is None:
            raise PackError(f"{parent.label}: unknown text detector {key!r}{did_you_mean(key, text)}", where)
        mapping, _ = as_config_mapping(key, factory.Config, raw)
        try:
            config = factory.Config.model_validate(mapping)
        except ValidationError as exc:
            raise PackError(f"{parent.label}: bad config for text detector {key!r}: {exc}", where) from exc
        lex_errors = check_lexicon_refs(config, lexicons, lambda _field: where)
        if lex_errors:
            raise PackError(f"{parent.label}: {key}: {lex_errors[0].message}", where)
        out.append((key, Trigger(parent.rule_id, f"{parent.label}~{i}", config)))
    return tuple(out)


def build_probes(
    probes: Sequence[Probe], text: Mapping[str, type[TextDetectorFactory]], ctx: BuildContext,
) -> ProbeSet:
    """One built detector per registry key, serving every probe of that key."""
    by_key: dict[str, list[Trigger]] = defaultdict(list)
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for i, (key, trigger) in enumerate(probes):
        by_key[key].append(trigger)
        labels[key][trigger.label] = i
    try:
        built = tuple((text[key].build(triggers, ctx), labels[key]) for key, triggers in by_key.items())
    except (ValueError, TypeError) as exc:
        raise PackError(f"a text probe rejected its config: {exc}") from exc
    return ProbeSet(keys=tuple(key for key, _ in probes), detectors=built)
