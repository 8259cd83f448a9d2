"""Organisation overrides: one YAML file, kept outside the package so it survives upgrades.

In the spirit of Sigma's filter files, it never edits a pack; it layers on top of them:

    lexicons:
      gift-offers: {add: [茶叶钱, 辛苦费], remove: [心意]}
      org-political: {file: political-terms.txt}     # org-supplied list, path relative to here
    rules:
      TJ-06: {severity: critical, min_score: 0.5}
      ZJ-05: {enabled: false}                          # switched off
      XY-04: {params: {grace_days: 14}}
      WG-03: {when: {lexicon: {...}}}                  # merged into every `when` entry of that key
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redline.errors import PackError, SourceLocation
from redline.rules.lexicons import check_term, parse_lexicon
from redline.specs.yaml_source import YamlDoc, load_yaml
from redline.vocab import Severity


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LexiconOverride(_Strict):
    """Terms an organisation adds to (or removes from) one lexicon."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    file: str | None = None  # a term-list file (lexicon format), relative to the overrides file


class RuleOverride(_Strict):
    """What an organisation may change about one rule."""

    enabled: bool = True
    severity: Severity | None = None
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)
    params: dict[str, Any] = Field(default_factory=dict)
    when: dict[str, dict[str, Any]] = Field(default_factory=dict)  # registry key → config fields


class OverridesFile(_Strict):
    """The whole overrides file."""

    lexicons: dict[str, LexiconOverride] = Field(default_factory=dict)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)


class Overrides(BaseModel):
    """Validated overrides with resolved term lists (files read, flags checked)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    spec: OverridesFile = Field(default_factory=OverridesFile)
    added: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # lexicon → terms to add
    removed: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    doc: YamlDoc | None = None
    paths: tuple[Path, ...] = ()  # every file read, for the plan version

    def rule(self, rule_id: str) -> RuleOverride | None:
        """The override of one rule, if any."""
        return self.spec.rules.get(rule_id)

    def location(self, *loc: str | int) -> SourceLocation:
        """Where a field of the overrides file sits (for cross-reference errors)."""
        if self.doc is None:
            return SourceLocation("<overrides>", field=".".join(map(str, loc)))
        return self.doc.location(loc)


def merge_overrides(layers: list[Overrides]) -> Overrides:
    """Stack several overrides (e.g. the organisation's, then the examples' placeholders)."""
    if len(layers) == 1:
        return layers[0]
    added: dict[str, tuple[str, ...]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    rules: dict[str, RuleOverride] = {}
    for layer in layers:
        for name, terms in layer.added.items():
            added[name] = added.get(name, ()) + terms
        for name, terms in layer.removed.items():
            removed[name] = removed.get(name, ()) + terms
        for rid, ro in layer.spec.rules.items():
            prev = rules.get(rid)
            if prev is None:
                rules[rid] = ro
                continue
            given = ro.model_dump(exclude_unset=True)
            rules[rid] = prev.model_copy(update=given)
    spec = OverridesFile(rules=rules)
    paths = tuple(p for layer in layers for p in layer.paths)
    docs = [layer.doc for layer in layers if layer.doc is not None]
    return Overrides(spec=spec, added=added, removed=removed, doc=docs[0] if docs else None, paths=paths)


def load_overrides(path: Path | str, errors: list[PackError]) -> Overrides:
    """Read an overrides file, collecting errors with `file:line:col: field` locations."""
    p = Path(path)
    try:
        doc = load_yaml(p)
    except PackError as exc:
        errors.append(exc)
        return Overrides()
    data = doc.data if doc.data is not None else {}
    try:
        spec = OverridesFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(x for x in err["loc"] if isinstance(x, (str, int)))
            errors.append(doc.error(loc, err["msg"]))
        return Overrides(doc=doc, paths=(p,))
    added: dict[str, tuple[str, ...]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    paths = [p]
    for name, lo in spec.lexicons.items():
        terms: list[str] = []
        for i, term in enumerate(lo.add):
            try:
                terms.append(check_term(term, doc.location(("lexicons", name, "add", i))))
            except PackError as exc:
                errors.append(exc)
        if lo.file is not None:
            term_file = (p.parent / lo.file).resolve()
            if not term_file.is_file():
                errors.append(doc.error(("lexicons", name, "file"), f"term file not found: {term_file}"))
            else:
                file_errors: list[PackError] = []
                lex = parse_lexicon(term_file, file_errors)
                # An org file is never "org_supplied" itself; only the header check would object.
                errors.extend(e for e in file_errors if "ships empty" not in e.message)
                terms.extend(lex.terms)
                paths.append(term_file)
        added[name] = tuple(terms)
        removed[name] = tuple(lo.remove)
    return Overrides(spec=spec, added=added, removed=removed, doc=doc, paths=tuple(paths))
