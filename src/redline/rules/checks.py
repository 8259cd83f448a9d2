"""Cross-rule checks over a loaded pack set: what no single file's schema can see.

Unique pack and rule ids across packs, lexicon references that exist (with "did you mean"),
overrides that name real rules and lexicons, and organisation-supplied term lists that are
still empty — which make a rule (or one trigger) "not covered" rather than an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from redline.errors import PackError, SourceLocation
from redline.rules.lexicons import Lexicon
from redline.rules.overrides import Overrides
from redline.specs.hints import did_you_mean
from redline.specs.yaml_source import YamlDoc


def empty_lists_reason(names: Iterable[str]) -> tuple[str, str]:
    """(en, zh) reason for triggers dead on empty organisation-supplied lists."""
    ordered = sorted(set(names))
    quoted = ", ".join(f"'{n}'" for n in ordered)
    en = (
        f"organisation-supplied term list {quoted} is empty" if len(ordered) == 1
        else f"organisation-supplied term lists {quoted} are empty"
    )
    return en, "未覆盖：机构自备词表" + "、".join(f"“{n}”" for n in ordered) + "为空"


def is_lexicon_field(name: str) -> bool:
    """Config fields holding lexicon names, by the convention documented in rules/plan.py."""
    return name in {"lexicon", "lexicons"} or name.endswith(("_lexicon", "_lexicons"))


def lexicon_refs(config: BaseModel) -> list[tuple[str, str]]:
    """(field, lexicon name) for every lexicon reference in a validated Config."""
    refs: list[tuple[str, str]] = []
    for fname in type(config).model_fields:
        if not is_lexicon_field(fname):
            continue
        value: Any = getattr(config, fname)
        if isinstance(value, str):
            refs.append((fname, value))
        elif isinstance(value, (list, tuple, set, frozenset)):
            refs.extend((fname, str(v)) for v in value)
    return refs


def check_lexicon_refs(
    config: BaseModel,
    lexicons: Mapping[str, Lexicon],
    locate: Any,
) -> list[PackError]:
    """Errors for lexicon names in `config` that do not exist; `locate(field)` → location."""
    errors: list[PackError] = []
    for fname, name in lexicon_refs(config):
        if name not in lexicons:
            where: SourceLocation = locate(fname)
            errors.append(PackError(f"unknown lexicon {name!r}{did_you_mean(name, lexicons)}", where))
    return errors


def empty_org_lexicons(config: BaseModel, lexicons: Mapping[str, Lexicon]) -> list[str]:
    """Names of organisation-supplied lexicons referenced by `config` that have no terms."""
    return sorted({
        name for _, name in lexicon_refs(config)
        if name in lexicons and lexicons[name].org_supplied and not lexicons[name].terms
    })


def check_unique_ids(docs: Sequence[tuple[YamlDoc, Any]]) -> list[PackError]:
    """Pack ids and rule ids must be unique across every pack loaded together."""
    errors: list[PackError] = []
    packs: dict[str, SourceLocation] = {}
    rules: dict[str, SourceLocation] = {}
    for doc, pack in docs:
        where = doc.location(("pack",))
        if pack.pack in packs:
            errors.append(PackError(f"duplicate pack id {pack.pack!r} (first at {packs[pack.pack]})", where))
        else:
            packs[pack.pack] = where
        for i, rule in enumerate(pack.rules):
            rwhere = doc.location(("rules", i, "id"))
            if rule.id in rules:
                first = rules[rule.id]
                errors.append(PackError(f"duplicate rule id {rule.id!r} (first at {first.path}:{first.line})", rwhere))
            else:
                rules[rule.id] = rwhere
    return errors


def check_overrides(
    overrides: Overrides, rule_keys: Mapping[str, Iterable[str]], lexicons: Mapping[str, Lexicon]
) -> list[PackError]:
    """An overrides file may only name rules, lexicons and `when` keys that exist.

    `rule_keys` maps each rule id to the registry keys of its `when` entries: an override of a
    key the rule does not use would otherwise be silently ignored.
    """
    errors = [
        PackError(f"unknown rule {rid!r}{did_you_mean(rid, rule_keys)}", overrides.location("rules", rid))
        for rid in overrides.spec.rules
        if rid not in rule_keys
    ]
    for rid, ro in overrides.spec.rules.items():
        keys = set(rule_keys.get(rid, ()))
        errors.extend(
            PackError(
                f"rule {rid} has no `{key}` trigger (its triggers: {', '.join(sorted(keys)) or 'none'})",
                overrides.location("rules", rid, "when", key),
            )
            for key in ro.when
            if rid in rule_keys and key not in keys
        )
    errors.extend(
        PackError(f"unknown lexicon {name!r}{did_you_mean(name, lexicons)}", overrides.location("lexicons", name))
        for name in overrides.spec.lexicons
        if name not in lexicons
    )
    return errors
