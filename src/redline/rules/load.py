"""Loading packs: YAML files + lexicons + organisation overrides → a validated PackSet.

Loaders collect, they do not stop: every problem becomes a PackError located as
`file:line:col: field: message`, e.g.
`src/redline/packs/tianjin-2017.yaml:41:9: rules[5].when[1].lexicon: unknown lexicon 'gift-offer' (did you mean 'gift-offers'?)`.
Each `when` entry `{<registry key>: <config>}` is validated against the registered factory's
(or analyzer's) pydantic `Config` here, so a compiled plan never meets a bad config.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import orjson
from pydantic import BaseModel, ValidationError

from redline.contracts import ProbesText, RecordAnalyzer, TextDetectorFactory, Trigger
from redline.errors import PackError, SourceLocation
from redline.release import __version__
from redline.rules.checks import (
    check_lexicon_refs,
    check_overrides,
    check_unique_ids,
    empty_org_lexicons,
    lexicon_refs,
)
from redline.rules.lexicons import (
    SHIPPED_DIR as SHIPPED_LEXICONS,
    Lexicon,
    load_lexicons,
    merge_terms,
)
from redline.rules.model import Pack, Rule, When
from redline.rules.overrides import Overrides, RuleOverride, load_overrides, merge_overrides
from redline.rules.probes import Probe, as_config_mapping, probe_triggers
from redline.specs.hints import did_you_mean
from redline.specs.yaml_source import YamlDoc, field_path, load_yaml

SHIPPED_PACKS: Final = Path(__file__).resolve().parent.parent / "packs"


@dataclass(frozen=True, slots=True)
class Registry:
    """The plug-ins a pack may name (redline.registry by default; tests pass their own)."""

    text: Mapping[str, type[TextDetectorFactory]]
    record: Mapping[str, type[RecordAnalyzer]]

    @classmethod
    def default(cls) -> Registry:
        from redline import registry  # imported late so that plug-in modules load on demand

        return cls(registry.TEXT_DETECTORS, registry.RECORD_ANALYZERS)

    def config_of(self, key: str) -> tuple[Literal["text", "record"], type[BaseModel]] | None:
        if key in self.text:
            return "text", self.text[key].Config
        if key in self.record:
            return "record", self.record[key].Config
        return None


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """One validated `when` entry of one rule."""

    trigger: Trigger  # rule_id, unique label, validated Config instance
    key: str  # registry key
    kind: Literal["text", "record"]
    category: str  # the rule's category unless the entry refines it
    min_score: float
    empty_lexicons: tuple[str, ...] = ()  # org-supplied lists still empty: trigger is dead
    probes: tuple[Probe, ...] = ()  # a record analyzer's text probes (rules.probes), validated


@dataclass(frozen=True, slots=True)
class LoadedRule:
    """A rule after organisation overrides, with its validated triggers."""

    rule: Rule
    pack: Pack
    enabled: bool
    triggers: tuple[TriggerSpec, ...]
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class PackSet:
    """Everything a plan is compiled from: packs, rules (overrides applied), lexicons."""

    packs: tuple[Pack, ...]
    rules: tuple[LoadedRule, ...]
    lexicons: Mapping[str, Lexicon]
    version: str

    def rule(self, rule_id: str) -> LoadedRule:
        """The loaded rule with this id (KeyError if absent)."""
        for lr in self.rules:
            if lr.rule.id == rule_id:
                return lr
        raise KeyError(rule_id)


@dataclass(slots=True)
class LoadResult:
    """A pack set and every error met while loading it (empty when all is well)."""

    packs: PackSet
    errors: list[PackError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_on_error(self) -> PackSet:
        """The pack set, or a PackError naming the first error and how many more there are."""
        if self.errors:
            first = self.errors[0]
            more = f" (and {len(self.errors) - 1} more errors)" if len(self.errors) > 1 else ""
            raise PackError(first.message + more, first.location)
        return self.packs


def shipped_pack_paths() -> list[Path]:
    """Every pack shipped with Redline, sorted by file name."""
    return sorted(SHIPPED_PACKS.glob("*.yaml"))


def resolve_pack_paths(spec: str | Sequence[str | Path]) -> list[Path]:
    """`all`, or comma-separated pack ids / YAML files / folders → pack files."""
    items = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s) for s in spec]
    out: list[Path] = []
    shipped = {p.stem: p for p in shipped_pack_paths()}
    for item in filter(None, items):
        if item == "all":
            out.extend(shipped.values())
        elif item in shipped:
            out.append(shipped[item])
        elif Path(item).is_dir():
            out.extend(sorted(Path(item).glob("*.yaml")))
        elif Path(item).is_file():
            out.append(Path(item))
        else:
            raise PackError(f"no such pack {item!r}{did_you_mean(item, shipped)}", SourceLocation("--packs"))
    return list(dict.fromkeys(out))


def _parse_pack(path: Path, errors: list[PackError]) -> tuple[YamlDoc, Pack] | None:
    try:
        doc = load_yaml(path)
    except PackError as exc:
        errors.append(exc)
        return None
    try:
        return doc, Pack.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(x for x in err["loc"] if isinstance(x, (str, int)))
            errors.append(doc.error(loc, err["msg"]))
        return None


def _apply_rule_override(rule: Rule, ro: RuleOverride | None) -> tuple[Rule, bool]:
    if ro is None:
        return rule, True
    update: dict[str, Any] = {}
    if ro.severity is not None:
        update["severity"] = ro.severity
    if ro.min_score is not None:
        update["min_score"] = ro.min_score
    if ro.params:
        update["params"] = {**rule.params, **ro.params}
    return (rule.model_copy(update=update) if update else rule), ro.enabled


def _validate_when(
    doc: YamlDoc,
    loc: tuple[str | int, ...],
    rule: Rule,
    j: int,
    when: When,
    ro: RuleOverride | None,
    registry: Registry,
    lexicons: Mapping[str, Lexicon],
    errors: list[PackError],
    taken: set[str],
    overrides: Overrides | None = None,
) -> TriggerSpec | None:
    """Validate one `when` entry against its factory's Config (errors collected)."""
    here = (*loc, "when", j, when.key)
    found = registry.config_of(when.key)
    if found is None:
        known = [*registry.text, *registry.record]
        errors.append(doc.error(here, f"unknown detector {when.key!r}{did_you_mean(when.key, known)}"))
        return None
    kind, config_cls = found
    fields = list(config_cls.model_fields)
    try:
        raw, shorthand = as_config_mapping(when.key, config_cls, when.config)
    except PackError as exc:
        errors.append(doc.error(here, exc.message))
        return None
    # Rule parameters fill Config fields of the same name; the overrides file wins over both.
    merged = {**{k: v for k, v in rule.params.items() if k in fields}, **raw}
    if ro is not None and when.key in ro.when:
        merged.update(ro.when[when.key])

    def locate(fname: str) -> SourceLocation:
        sub: tuple[str | int, ...] = here if fname == shorthand else (*here, fname)
        return doc.location(sub)

    def origin(eloc: list[str | int]) -> SourceLocation:
        # Name the file the bad value came from: the overrides file, the rule's params, or here.
        name = eloc[0] if eloc else None
        if ro is not None and overrides is not None and name in ro.when.get(when.key, {}):
            return overrides.location("rules", rule.id, "when", when.key, *eloc)
        if name is not None and name not in raw and name in rule.params:
            if ro is not None and overrides is not None and name in ro.params:
                return overrides.location("rules", rule.id, "params", *eloc)
            return doc.location((*loc, "params", *eloc))
        return doc.location((*here, *(eloc[1:] if name == shorthand else eloc)))

    try:
        config = config_cls.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            eloc = [x for x in err["loc"] if isinstance(x, (str, int))]
            errors.append(PackError(err["msg"], origin(eloc)))
        return None
    except PackError as exc:  # a factory's own validator (e.g. a pattern RE2 cannot compile)
        errors.append(PackError(exc.message, doc.location(here)))
        return None
    lex_errors = check_lexicon_refs(config, lexicons, locate)
    if lex_errors:
        errors.extend(lex_errors)
        return None
    trigger = Trigger(rule_id=rule.id, label=trigger_label(rule.id, when.key, config, taken), config=config)
    probes: tuple[Probe, ...] = ()
    analyzer = registry.record.get(when.key)
    if analyzer is not None and issubclass(analyzer, ProbesText):
        try:
            probes = probe_triggers(trigger, analyzer, registry.text, lexicons, doc.location(here))
        except PackError as exc:
            errors.append(exc)
            return None
    return TriggerSpec(
        trigger=trigger,
        probes=probes,
        key=when.key,
        kind=kind,
        category=str(when.category or rule.category),
        min_score=when.min_score if when.min_score is not None else rule.min_score,
        empty_lexicons=tuple(empty_org_lexicons(config, lexicons)),
    )


def _unused_params(doc: YamlDoc, loc: tuple[str | int, ...], rule: Rule, registry: Registry) -> list[PackError]:
    """A rule parameter that no trigger's Config takes would be silently ignored: an error."""
    fields: set[str] = set()
    for when in rule.when:
        found = registry.config_of(when.key)
        if found is not None:
            fields.update(found[1].model_fields)
    return [
        doc.error((*loc, "params", name), f"no trigger of {rule.id} takes a parameter {name!r}")
        for name in rule.params
        if name not in fields
    ]


def trigger_label(rule_id: str, key: str, config: BaseModel, taken: set[str]) -> str:
    """A label that survives edits of OTHER `when` entries: `TJ-06#lexicon:gift-offers`.

    Stored findings are keyed by label, so a label must not shift when a trigger is added
    before it (an index would); a second entry of the same key and lists gets `.2`.
    """
    names = [name for _, name in lexicon_refs(config)]
    base = f"{rule_id}#{key}" + (":" + "+".join(names) if names else "")
    label, n = base, 2
    while label in taken:
        label, n = f"{base}.{n}", n + 1
    taken.add(label)
    return label


def _version(packs: Sequence[Pack], rules: Sequence[LoadedRule], lexicons: Mapping[str, Lexicon]) -> str:
    """A content hash of everything that changes what a scan finds."""
    payload = {
        "redline": __version__,  # a new release may detect differently: rescan
        "packs": [p.model_dump(mode="json") for p in packs],
        "effective": [
            {
                "id": lr.rule.id,
                "enabled": lr.enabled,
                "severity": str(lr.rule.severity),
                "min_score": lr.rule.min_score,
                "params": lr.rule.params,
                "triggers": [[t.trigger.label, t.key, t.trigger.config.model_dump(mode="json")] for t in lr.triggers],
            }
            for lr in rules
        ],
        "lexicons": {name: list(lex.terms) for name, lex in sorted(lexicons.items())},
    }
    raw = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_packs(
    paths: Iterable[Path | str],
    overrides: Path | str | Sequence[Path | str] | None = None,
    *,
    lexicon_dirs: Sequence[Path] = (),
    registry: Registry | None = None,
) -> LoadResult:
    """Load packs, lexicons and overrides; collect every error instead of stopping."""
    registry = registry or Registry.default()
    errors: list[PackError] = []
    lexicons = load_lexicons([SHIPPED_LEXICONS, *lexicon_dirs], errors)

    parsed = [p for p in (_parse_pack(Path(path), errors) for path in paths) if p is not None]
    errors.extend(check_unique_ids(parsed))

    layers: list[Overrides] = []
    override_paths = [overrides] if isinstance(overrides, (str, Path)) else list(overrides or [])
    rule_keys = {r.id: [w.key for w in r.when] for _, pack in parsed for r in pack.rules}
    for opath in override_paths:
        layer = load_overrides(opath, errors)
        errors.extend(check_overrides(layer, rule_keys, lexicons))
        for name, removed in layer.removed.items():
            known = set(lexicons[name].bare_terms) if name in lexicons else None
            errors.extend(
                PackError(f"{term!r} is not a term of {name!r}", layer.location("lexicons", name, "remove", i))
                for i, term in enumerate(removed)
                if known is not None and term.split("|", 1)[0] not in known
            )
        layers.append(layer)
    merged = merge_overrides(layers) if layers else Overrides()
    for name in set(merged.added) | set(merged.removed):
        if name in lexicons:
            lexicons[name] = merge_terms(lexicons[name], merged.added.get(name, ()), merged.removed.get(name, ()))

    loaded: list[LoadedRule] = []
    for doc, pack in parsed:
        for i, raw_rule in enumerate(pack.rules):
            rule, enabled = _apply_rule_override(raw_rule, merged.rule(raw_rule.id))
            loc: tuple[str | int, ...] = ("rules", i)
            taken: set[str] = set()
            specs = [
                _validate_when(
                    doc, loc, rule, j, when, merged.rule(rule.id), registry, lexicons, errors, taken, merged,
                )
                for j, when in enumerate(rule.when)
            ]
            if all(s is not None for s in specs):
                errors.extend(_unused_params(doc, loc, rule, registry))
            loaded.append(LoadedRule(
                rule=rule,
                pack=pack,
                enabled=enabled,
                triggers=tuple(s for s in specs if s is not None),
                location=doc.location(loc, field_path((*loc, "id"))),
            ))
    packs = tuple(pack for _, pack in parsed)
    return LoadResult(PackSet(packs, tuple(loaded), lexicons, _version(packs, loaded, lexicons)), errors)
