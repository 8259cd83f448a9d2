"""`clf.conduct`: the work-chat conduct model as a detector — leads the rules miss, vetoes of weak hits.

A pack names it per rule, with the category the rule is about:

    - clf.conduct: {category: gifts}                         # leads (the card's threshold)
    - clf.conduct: {category: gifts, threshold: 0.5}         # a stricter lead
    - clf.conduct: {category: gambling, leads: false,
                    veto: {below: 0.02, hits_under: 0.9}}    # only vetoes this rule's weak hits
    - clf.conduct: {category: gambling,
                    veto: {rules: ["*"], below: 0.02}}       # leads, and vetoes every gambling rule's
    - clf.conduct: {category: conduct,
                    alongside: {share: 0.02}}                # leads, and at 0.02 × its threshold
                                                             # beside another category's lead

Rules stay first. After every detector has run, the engine gives this detector the batch's
hits (`reconcile_columns`): a lead of the model is dropped where a rule of the same category
already caught the message (the rule's finding says more), and a hit of a rule that asked for
a veto is dropped where the hit is weak (score under `hits_under`) and the model is confident
the message is benign in that category (score under `below`; with `over: max`, in every
category); `veto.rules` may name other rules (or "*": every rule filing under the category)
whose weak hits it judges. Each lead's `why` gives the
model's version, score, threshold and the n-grams that drove the score; its span is the
strongest of them. Last, `alongside` leads name a second breach of a message already led in
another category (conduct_alongside.py). A message of courtesy formulas only (恭喜发财, 谢谢老板, 站长辛苦了) gets no lead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.contracts import BuildContext, Hit, HitColumns, Trigger
from redline.detectors.absent_acts import CHECKS, act_absent
from redline.detectors.classifiers import conduct_files
from redline.detectors.classifiers.conduct_alongside import (
    SECOND_NOTE,
    Scored,
    Second,
    as_columns,
    second_leads,
)
from redline.detectors.classifiers.conduct_files import ConductModel
from redline.detectors.classifiers.courtesy import courtesy_only
from redline.detectors.classifiers.grams import Rows
from redline.detectors.classifiers.multilabel import Evidence
from redline.detectors.notices import in_notice
from redline.detectors.register import official_rows
from redline.text.joined import joined_view
from redline.text.normalize import normalize_text
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

if TYPE_CHECKING:
    from redline.rules.plan import RuleRef
    from redline.text.normalize import NormalizedBatch

DETECTOR: Final = conduct_files.DETECTOR


class VetoConfig(BaseModel):
    """When the model may drop a hit of this rule's other triggers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    below: float = Field(default=0.02, ge=0.0, le=1.0)  # the model's score in the category
    hits_under: float = Field(default=1.0, ge=0.0, le=1.0)  # only hits scoring less are weak
    # whose hits: this rule's own (empty), named rule ids, or "*" = every rule of the category
    rules: tuple[str, ...] = ()
    # the score `below` bounds: the category's, or "max" = the highest over every category
    # (the model sees nothing at all in the message; off_topic's own column is a weak judge)
    over: Literal["category", "max"] = "category"


class AlongsideConfig(BaseModel):
    """A second category beside another category's lead (conduct_alongside.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    share: float = Field(gt=0.0, le=1.0)  # of the rule's lead threshold
    clauses: bool = False  # also read each clause alone


class ConductConfig(BaseModel):
    """A `when:` entry: `clf.conduct: {category: gifts, threshold: 0.4, leads: true, veto: {...}}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: the version's calibrated one
    leads: bool = True
    # a lead on a notice (a rebuttal, a case report, a warning, correct handling: notices.GENRES
    # near the evidence) is dropped, as the term detectors drop their hits there
    notices: bool = True
    official_prose: bool = False  # leads on official prose too (register.py)
    # phrases that say the act is absent (gambling: 不来钱, 纯娱乐): no lead on a message holding one
    unless: tuple[str, ...] = ()
    # checks that the message's content shows the act absent (absent_acts.py: bill_split)
    unless_checks: tuple[str, ...] = ()
    veto: VetoConfig | None = None
    # a second category (conduct_alongside.py): a lead at a share of the lead threshold, only
    # on a message that already has a lead in another category
    alongside: AlongsideConfig | None = None

    @field_validator("category")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"clf.conduct has no category {value!r}; one of: {', '.join(CATEGORIES)}")
        return value

    @field_validator("unless_checks")
    @classmethod
    def _checks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in CHECKS]
        if unknown:
            raise ValueError(f"unknown unless_checks {unknown}; one of: {', '.join(CHECKS)}")
        return value


@dataclass(frozen=True, slots=True)
class _Lead:
    label: str
    rule_id: str
    column: int
    threshold: float
    notices: bool = True
    official_prose: bool = False
    unless: tuple[str, ...] = ()  # normalised
    checks: tuple[str, ...] = ()  # absent_acts.CHECKS names


@dataclass(frozen=True, slots=True)
class _Veto:
    rule_ids: frozenset[str]  # {"*"}: any rule
    category: str  # only hits filed under this category (a rule may file under several)
    column: int
    below: float
    hits_under: float
    over: str = "category"

    def covers(self, ref: RuleRef) -> bool:
        return ref.category == self.category and ("*" in self.rule_ids or ref.rule_id in self.rule_ids)


@dataclass(frozen=True, slots=True)
class ConductDetector:
    """The built detector: one model pass per batch serves every rule's trigger."""

    name: ClassVar[str] = DETECTOR
    loaded: ConductModel
    leads: tuple[_Lead, ...]
    vetoes: tuple[_Veto, ...]
    lead_rules: Mapping[str, str] = field(default_factory=dict)  # lead label → category
    seconds: tuple[Second, ...] = ()  # the alongside triggers (conduct_alongside.py)
    # the last scanned batch's texts, rows and scores, read again by the alongside leads (the
    # engine reconciles the batch it just scanned; another batch's texts are not reused)
    _scored: dict[str, tuple[Sequence[str], Scored]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def version(self) -> str:
        """The model version every finding of this detector records."""
        return self.loaded.version

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """A hit per (message, lead trigger) whose category score reaches the trigger's threshold."""
        self._scored.clear()
        if not self.leads or not len(texts):
            return []
        model = self.loaded.model
        rows = model.passing(texts)
        rows = rows[~courtesy_only([texts[i] for i in rows.tolist()])]  # no act to read (courtesy.py)
        # the batch's shared n-gram hashes (grams.py)
        scores = model.full_scores(Rows(texts, rows)) if rows.size else np.zeros((0, len(model.categories)))
        if self.seconds:
            self._scored["last"] = (texts, (rows, scores))
        if not rows.size:
            return []
        found: list[tuple[int, _Lead, float]] = []
        for lead in self.leads:
            for j in np.flatnonzero(scores[:, lead.column] >= lead.threshold).tolist():
                row = int(rows[j])
                if not act_absent(texts[row], lead.unless, lead.checks):  # the pack says the act is absent
                    found.append((row, lead, float(scores[j, lead.column])))
        # official prose is a row's register: judged before any evidence is ranked
        prose = official_rows(texts, np.unique([row for row, lead, _ in found if not lead.official_prose]))
        found = [f for f in found if f[1].official_prose or not prose[f[0]]]
        # every lead's evidence in one pass over the batch's shared hashes (multilabel.py)
        evidence = self.loaded.model.evidence_rows(texts, [r for r, _, _ in found],
                                                   [lead.column for _, lead, _ in found])
        hits = [self._hit(texts[row], row, lead, score, ev)
                for (row, lead, score), ev in zip(found, evidence, strict=True)]
        hits.sort(key=lambda h: (h.row, h.label))
        return _not_in_notices(texts, hits, {lead.label for lead in self.leads if lead.notices})

    def _hit(self, text: str, row: int, lead: _Lead | Second, score: float, evidence: Evidence) -> Hit:
        start, end = evidence.main
        grams = "、".join(f"“{text[s:e]}”" for s, e, _ in evidence.spans)
        beside = f"; {SECOND_NOTE}" if isinstance(lead, Second) else ""
        why = (f"model {DETECTOR} v{self.version}: {self.loaded.model.categories[lead.column]} score "
               f"{score:.3f} ≥ threshold {lead.threshold:.3f}{beside}; evidence n-grams {grams}")
        return Hit(row, DETECTOR, lead.label, start, end, score, why)

    def reconcile_columns(self, texts: Sequence[str], parts: list[HitColumns],
                          rules: Mapping[str, RuleRef], batch: NormalizedBatch | None = None) -> list[HitColumns]:
        """Drop vetoed weak rule hits and own leads where a rule of the same category hit; then
        add the alongside leads (a second category beside a lead)."""
        if self.vetoes:
            parts = self._apply_vetoes(texts, parts, rules)
        if self.leads:
            parts = self._drop_caught(parts, rules)
        if not self.seconds:
            return parts
        last = self._scored.get("last")
        scored = last[1] if last is not None and last[0] is texts else None
        hits = second_leads(self.loaded.model, self.seconds, texts, parts, rules, self._hit, batch, scored)
        hits = _not_in_notices(texts, hits, {s.label for s in self.seconds if s.notices})
        return [*parts, as_columns(DETECTOR, hits)] if hits else parts

    def _drop_caught(self, parts: list[HitColumns], rules: Mapping[str, RuleRef]) -> list[HitColumns]:
        caught: set[tuple[int, str]] = set()
        for part in parts:
            if part.detector == DETECTOR or not len(part):
                continue
            cats = [rules[lb].category if lb in rules else "" for lb in part.labels]
            caught.update(zip(part.rows.tolist(), (cats[i] for i in part.label_ids.tolist()), strict=True))
        if not caught:
            return parts
        out = []
        for part in parts:
            if part.detector != DETECTOR or not len(part):
                out.append(part)
                continue
            cats = [rules[lb].category if lb in rules else "" for lb in part.labels]
            keep = np.array([(r, cats[i]) not in caught for r, i in
                             zip(part.rows.tolist(), part.label_ids.tolist(), strict=True)], dtype=bool)
            out.append(_take(part, keep))
        return out

    def _veto_for(self, label: str, rules: Mapping[str, RuleRef]) -> _Veto | None:
        ref = rules.get(label)
        if ref is None:
            return None
        return next((v for v in self.vetoes if v.covers(ref)), None)

    def _apply_vetoes(self, texts: Sequence[str], parts: list[HitColumns],
                      rules: Mapping[str, RuleRef]) -> list[HitColumns]:
        candidates: list[tuple[int, npt.NDArray[np.bool_], npt.NDArray[np.int64]]] = []
        for p, part in enumerate(parts):
            if part.detector == DETECTOR or not len(part):
                continue
            veto_of = [self._veto_for(lb, rules) for lb in part.labels]
            if not any(veto_of):
                continue
            under = np.array([v.hits_under if v else -1.0 for v in veto_of])[part.label_ids]
            weak = part.scores < under
            if weak.any():
                candidates.append((p, weak, part.rows[weak]))
        if not candidates:
            return parts
        rows = np.unique(np.concatenate([c[2] for c in candidates]))
        # the full model on just these rows: a veto must not depend on the gate
        scores = self.loaded.model.full_scores([texts[i] for i in rows.tolist()])
        out = list(parts)
        for p, weak, _ in candidates:
            part = parts[p]
            veto_of = [self._veto_for(lb, rules) for lb in part.labels]
            keep = np.ones(len(part), dtype=bool)
            for i in np.flatnonzero(weak).tolist():
                veto = veto_of[int(part.label_ids[i])]
                if veto is None:
                    continue
                j = int(np.searchsorted(rows, part.rows[i]))
                read = scores[j].max() if veto.over == "max" else scores[j, veto.column]
                keep[i] = read >= veto.below
            out[p] = _take(part, keep)
        return out


def _not_in_notices(texts: Sequence[str], hits: list[Hit], labels: set[str]) -> list[Hit]:
    """The hits, without those of `labels` that a notice's genre word stands near."""
    judged = [h for h in hits if h.label in labels]
    if not judged:
        return hits
    notice = in_notice(joined_view(texts), *(np.array(v, dtype=np.int64) for v in
                                             zip(*((h.row, h.start, h.end) for h in judged), strict=True)))
    dropped = {id(h) for h, n in zip(judged, notice.tolist(), strict=True) if n}
    return [h for h in hits if id(h) not in dropped]


def _take(part: HitColumns, keep: npt.NDArray[np.bool_]) -> HitColumns:
    if keep.all():
        return part
    return replace(part, rows=part.rows[keep], starts=part.starts[keep], ends=part.ends[keep],
                   label_ids=part.label_ids[keep], why_ids=part.why_ids[keep], scores=part.scores[keep])


class ConductClassifier:
    """Factory of clf.conduct (one built detector per plan, the active model version)."""

    name: ClassVar[str] = DETECTOR
    Config: ClassVar[type[BaseModel]] = ConductConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> ConductDetector:
        """Load the active version; resolve each trigger's category column and threshold."""
        loaded = conduct_files.active(version=ctx.params.get("conduct_model_version"))
        categories = loaded.model.categories
        leads: list[_Lead] = []
        seconds: list[Second] = []
        vetoes: list[_Veto] = []
        for trigger in triggers:
            config = trigger.config
            if not isinstance(config, ConductConfig):
                config = ConductConfig.model_validate(config)
            column = categories.index(config.category)
            if config.leads:
                threshold = config.threshold if config.threshold is not None else loaded.thresholds[config.category]
                unless = tuple(normalize_text(u) for u in config.unless)
                leads.append(_Lead(trigger.label, trigger.rule_id, column, float(threshold), config.notices,
                                   config.official_prose, unless, config.unless_checks))
                if config.alongside is not None:
                    seconds.append(Second(trigger.label, config.category, column,
                                          float(threshold) * config.alongside.share, config.notices,
                                          config.official_prose, unless, config.alongside.clauses,
                                          config.unless_checks))
            if config.veto is not None:
                vetoes.append(_Veto(frozenset(config.veto.rules or (trigger.rule_id,)), config.category, column,
                                    config.veto.below, config.veto.hits_under, config.veto.over))
        return ConductDetector(loaded, tuple(leads), tuple(vetoes),
                               {lead.label: categories[lead.column] for lead in leads}, tuple(seconds))
