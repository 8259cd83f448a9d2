"""The plug-in contracts: text detectors, record analyzers, and the values they exchange.

Offsets are characters. A text detector sees NORMALISED texts and reports offsets in them;
the scan engine maps them back to the original text with the batch's offset map.
Money inside Redline is integer fen; times are timezone-aware (default +08:00).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, Self, TypeVar, runtime_checkable

from pydantic import BaseModel

# Messages per scan-engine call, for every caller that batches texts (PERF-NOTES §2: ~4k
# messages per call amortises the Python cost). Here, in the light contracts module, so
# that a CLI command can name it without importing the engine (numpy) at start-up.
SCAN_BATCH: Final = 4096

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of one trigger in one message of a batch."""

    row: int  # index of the message in the batch
    detector: str  # registry key, e.g. "lexicon", "pii", "clf.offensive"
    label: str  # the trigger label: hits carry it back to the rule
    start: int  # offsets in the NORMALISED text; the engine maps them back
    end: int
    score: float  # 0..1 after validation (checksum) and context
    why: str = ""  # short evidence note: "checksum ok", "context word 红包"


@dataclass(frozen=True, slots=True)
class HitColumns:
    """Many hits of one detector as columns: the batch form of `Hit` (entry i is one hit).

    A detector may offer `scan_columns(texts) -> HitColumns` next to `scan`; the engine then
    takes the columns and never builds a `Hit` per match. `label_ids` and `why_ids` index the
    small `labels` and `whys` tables; offsets are in the NORMALISED texts, as for `Hit`.
    """

    detector: str
    labels: Sequence[str]
    whys: Sequence[str]
    rows: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    label_ids: npt.NDArray[np.int64]
    why_ids: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.rows)

    def to_hits(self) -> list[Hit]:
        """The same hits as `Hit` values, in column order."""
        labels, whys, name = self.labels, self.whys, self.detector
        return [
            Hit(row, name, labels[lid], start, end, score, whys[wid])
            for row, start, end, lid, wid, score in zip(
                self.rows.tolist(), self.starts.tolist(), self.ends.tolist(), self.label_ids.tolist(),
                self.why_ids.tolist(), self.scores.tolist(), strict=True,
            )
        ]


@dataclass(frozen=True, slots=True)
class Trigger:
    """One `when:` entry of one rule, after validation against the factory's Config."""

    rule_id: str  # "TJ-06"
    label: str  # unique within the plan
    config: BaseModel  # an instance of the factory's Config


_C = TypeVar("_C", bound=BaseModel)


def config_as(trigger: Trigger, config_type: type[_C]) -> _C:
    """The trigger's config as `config_type`, the factory's or analyzer's declared Config.

    Validated again when it is another model or a mapping (tests, `--defaults`): a field the
    Config does not declare is an error there (every Config forbids extras), never a default
    read with `getattr`.
    """
    cfg = trigger.config
    if isinstance(cfg, config_type):
        return cfg
    return config_type.model_validate(cfg.model_dump() if isinstance(cfg, BaseModel) else cfg)


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What a factory may use to build its detector: lexicons and organisation settings.

    `probes` (record trigger label → ProbeSet) carries the text detectors the compiler built
    for the analyzers that probe text (`ProbesText`); detector factories ignore it.
    """

    lexicons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    cache_dir: Path | None = None
    probes: Mapping[str, ProbeSet] = field(default_factory=dict)


class TextDetector(Protocol):
    """A built detector: stateless, picklable, one call per batch."""

    name: ClassVar[str]

    def scan(self, texts: Sequence[str]) -> list[Hit]: ...


@dataclass(frozen=True, slots=True)
class ProbeSet:
    """The text detectors compiled for ONE record trigger's probes (its `probes(config)` entries).

    `keys[i]` is the registry key of probe i; each built detector comes with its probe
    labels → probe index (a hit whose label is not there belongs to another trigger).
    """

    keys: tuple[str, ...]
    detectors: tuple[tuple[TextDetector, Mapping[str, int]], ...]


@runtime_checkable
class ColumnarDetector(Protocol):
    """A built detector that also reports its hits as columns (`HitColumns`): the engine then
    takes the columns and never builds a `Hit` per match (PERF-NOTES)."""

    name: ClassVar[str]

    def scan(self, texts: Sequence[str]) -> list[Hit]: ...

    def scan_columns(self, texts: Sequence[str]) -> HitColumns: ...


class TextDetectorFactory(Protocol):
    """Builds ONE detector instance that serves every trigger of its kind in a plan."""

    name: ClassVar[str]
    Config: ClassVar[type[BaseModel]]

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> TextDetector: ...


@dataclass(frozen=True, slots=True)
class BundleTables:
    """A canonical bundle as Arrow tables (columns as in bundle.schema; money in fen)."""

    people: pa.Table
    relations: pa.Table
    groups: pa.Table
    memberships: pa.Table
    messages: pa.Table
    payments: pa.Table
    events: pa.Table


@dataclass(frozen=True, slots=True)
class Finding:
    """A lead for a human reviewer: what rule, about what, why (zh first, en second).

    `facts` holds the structured facts the reason was rendered from (amounts in fen,
    counts, dates, counterparties), so that a reviewer can see why the lead exists.
    """

    rule_id: str
    category: str  # vocab.Category value
    detector: str  # registry key of what raised it
    subject: str  # vocab.Subject value
    subject_id: str  # message id, payment id, group id, person id or file path
    severity: str  # vocab.Severity value
    reason: str  # a full sentence in Chinese
    reason_en: str = ""
    person_id: str | None = None  # the person the lead is about
    score: float = 1.0
    label: str = ""
    kind: str = ""  # typology (payments) or kind (groups)
    start: int | None = None  # evidence span in the ORIGINAL text, characters
    end: int | None = None
    evidence: str = ""
    related_ids: tuple[str, ...] = ()  # payment ids, message ids, counterparties
    facts: Mapping[str, Any] = field(default_factory=dict)
    pack: str = ""


class RecordAnalyzer(Protocol):
    """Payment and group analyses: vectorised over bundle tables, one call per bundle."""

    name: ClassVar[str]  # "payments.managed_party_gifts"
    Config: ClassVar[type[BaseModel]]  # parameters in a rule's `when:` entry; overridable

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]: ...


@runtime_checkable
class ProbesText(Protocol):
    """A record analyzer that runs text detectors over its tables (the group checks).

    `probes(config)` names them as `when:`-style entries (registry key → config); the rules
    compiler validates them like a pack's own entries and builds them into the plan
    (`ScanPlan.probes`), and the analyzer is then made with `with_context(ctx)`, `ctx.probes`
    holding its built detectors. An analyzer never builds a detector itself.
    """

    @classmethod
    def probes(cls, config: BaseModel) -> Mapping[str, Any]: ...

    @classmethod
    def with_context(cls, ctx: BuildContext) -> Self: ...
