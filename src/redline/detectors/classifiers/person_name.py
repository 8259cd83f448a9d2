"""`pii.person_name`: third parties' names (他人隐私) in messages.

Sources of spans, in order of precedence (a later one never overlaps an earlier one):
1. roster names (people.csv), given in the rule's Config (`names`) or by the organisation
   through `BuildContext.params["roster_names"]`: exact (score 1.0), and also as given name
   + title (四华主任) or in pinyin (Li Sihua) through `detectors.names` (score 0.9);
2. the models: Baidu LAC's names kept by name shape or the character CRF's agreement
   (`name_fusion`; the CRF alone with `lac: false`);
3. 称谓: a surname with a title or 老/小 (孙主任, 老王: score 0.8), the reading the
   console's masking shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BuildContext, Hit, Trigger
from redline.detectors.classifiers.base import shipped_model
from redline.detectors.classifiers.crf import CharCRF, Marginals, decode_spans
from redline.detectors.classifiers.name_fusion import FUSED_THRESHOLD, fuse
from redline.detectors.classifiers.roster import RosterMatcher
from redline.detectors.names import RosterForms, title_mentions
from redline.text.normalize import normalize_batch

ROSTER_PARAM: Final = "roster_names"  # BuildContext.params key: names from people.csv
MODEL_LABEL: Final = "PER"
ROSTER_LABEL: Final = "PER.roster"
TITLE_LABEL: Final = "PER.title"
FORM_SCORE: Final = 0.9  # a roster name written another way (四华主任, Li Sihua)
TITLE_SCORE: Final = 0.8  # 孙主任, 老王: someone, surely; which one, the reader knows


class PersonNameConfig(BaseModel):
    """A `when:` entry, e.g. `pii.person_name: {threshold: 0.7, names: [张三]}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: the model card's
    names: tuple[str, ...] = ()  # extra names matched exactly
    roster: bool = True  # also match BuildContext.params["roster_names"]
    model: bool = True  # use the models (False: roster names and 称谓 only)
    lac: bool = True  # LAC proposes, CRF and name shape dispose (False: the CRF alone)
    titles: bool = True  # 称谓: surname + title, 老/小 + surname


@dataclass(frozen=True, slots=True)
class NameSpan:
    """One name in one message: characters [start, end), its source and confidence."""

    row: int
    start: int
    end: int
    label: str  # PER (model), PER.roster (roster name in any writing), PER.title (称谓)
    score: float
    why: str


@dataclass(frozen=True, slots=True)
class _TriggerPlan:
    label: str
    threshold: float
    model: bool
    roster: RosterMatcher
    forms: RosterForms | None = None
    lac: bool = True
    titles: bool = True


@dataclass(frozen=True, slots=True)
class PersonNameDetector:
    """A built detector: the CRF once per batch, one roster matcher per trigger."""

    name: ClassVar[str] = "pii.person_name"
    crf: CharCRF
    version: str
    default_threshold: float
    plans: tuple[_TriggerPlan, ...]

    def marginals(self, texts: Sequence[str]) -> Marginals:
        """The CRF's per-character tag marginals for a batch (computed once, decoded per trigger)."""
        return self.crf.marginals(texts)

    def spans(self, texts: Sequence[str], threshold: float | None = None,
              roster: RosterMatcher | None = None, model: bool = True,
              marginals: Marginals | None = None, *, forms: RosterForms | None = None,
              lac: bool = True, titles: bool = True) -> list[list[NameSpan]]:
        """Names per text: roster names first, then model spans, then 称谓, never overlapping.

        `marginals` are `self.marginals(texts)` when the caller already has them. The
        threshold applies to the fused score (LAC) or to the CRF floor (`lac=False`).
        """
        default = FUSED_THRESHOLD if lac else self.default_threshold
        limit = default if threshold is None else threshold
        per_row: list[list[NameSpan]] = [[] for _ in texts]
        if roster is not None:
            for m in roster.find(texts):
                per_row[m.row].append(NameSpan(m.row, m.start, m.end, ROSTER_LABEL, 1.0,
                                               "roster name exact match (people.csv)"))
            for row, spans in enumerate(per_row):
                # keep 张三丰, drop 张三 inside it
                per_row[row] = [s for s in spans if not any(
                    o is not s and o.start <= s.start and s.end <= o.end and o.end - o.start > s.end - s.start
                    for o in spans)]
        if forms is not None:
            for row, text in enumerate(texts):
                for form in forms.find(text):
                    _add(per_row[row], NameSpan(row, form.start, form.end, ROSTER_LABEL, FORM_SCORE,
                                                f"roster name {form.kind} (people.csv)"))
        if model:
            found = self.marginals(texts) if marginals is None else marginals
            if lac:
                for fused in fuse(texts, found, self.crf.lexicon.surname, limit):
                    _add(per_row[fused.row], NameSpan(
                        fused.row, fused.start, fused.end, MODEL_LABEL, fused.score,
                        f"model {self.name} v{self.version}: score {fused.score:.3f} ≥ threshold "
                        f"{limit:.3f}; {fused.why}"))
            else:
                for span in decode_spans(*found, limit):
                    why = (f"model {self.name} v{self.version}: score {span.score:.3f} "
                           f"≥ threshold {limit:.3f}; CRF")
                    _add(per_row[span.row], NameSpan(span.row, span.start, span.end, MODEL_LABEL, span.score, why))
        if titles:
            for row, text in enumerate(texts):
                for title in title_mentions(text):
                    _add(per_row[row], NameSpan(row, title.start, title.end, TITLE_LABEL, TITLE_SCORE,
                                                f"称谓 ({title.kind}): a person named by surname"))
        for spans in per_row:
            spans.sort(key=lambda s: (s.start, s.end))
        return per_row

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """One hit per name per trigger; offsets in the (normalised) text given."""
        hits: list[Hit] = []
        marginals = self.marginals(texts) if any(p.model for p in self.plans) else None
        for plan in self.plans:
            for spans in self.spans(texts, plan.threshold, plan.roster, plan.model, marginals,
                                    forms=plan.forms, lac=plan.lac, titles=plan.titles):
                hits.extend(Hit(s.row, self.name, plan.label, s.start, s.end, s.score, s.why)
                            for s in spans)
        hits.sort(key=lambda h: (h.row, h.start, h.end, h.label))
        return hits


def _add(taken: list[NameSpan], span: NameSpan) -> None:
    """Append `span` unless it overlaps a span already taken (earlier sources win)."""
    if not any(s.start < span.end and span.start < s.end for s in taken):
        taken.append(span)


class PersonNameFactory:
    """Factory of `pii.person_name` (one CRF shared by every trigger of the plan)."""

    name: ClassVar[str] = "pii.person_name"
    model_name: ClassVar[str] = "person_name"
    Config: ClassVar[type[BaseModel]] = PersonNameConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> PersonNameDetector:
        """Load the CRF once; roster names come from each trigger and from ctx.params."""
        files = shipped_model(cls.model_name)
        org_names = tuple(ctx.params.get(ROSTER_PARAM, ()))
        plans = []
        for trigger in triggers:
            config = trigger.config
            if not isinstance(config, PersonNameConfig):
                config = PersonNameConfig.model_validate(config.model_dump())
            # roster names are matched in the normalised text, so they are normalised too
            # (趙小紅 in people.csv finds 赵小红 and 趙小紅 in messages)
            names = tuple(normalize_batch(list(config.names + (org_names if config.roster else ()))).texts)
            default = FUSED_THRESHOLD if config.lac else files.threshold
            plans.append(_TriggerPlan(
                label=trigger.label,
                threshold=default if config.threshold is None else config.threshold,
                model=config.model,
                roster=RosterMatcher(names),
                forms=RosterForms(names) if names else None,
                lac=config.lac,
                titles=config.titles,
            ))
        return PersonNameDetector(CharCRF.from_arrays(files.arrays), files.version,
                                  files.threshold, tuple(plans))
