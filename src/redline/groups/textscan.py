"""Text probes: the plan's built text detectors (secret marks, 文号, flattery, canvassing,
lexicons) run over a column of group messages, in batches, with evidence spans in the
original text.

Group checks never build a detector: they name registry keys with `when:`-style configs
(`TextProbing.probes`), the rules compiler validates and builds them into the plan
(`ScanPlan.probes`, one ProbeSet per record trigger, lexicons after the organisation's
overrides), and `scan.records.analyzer_for` hands them over with `with_context`. This module
normalises each batch once (`text.normalize`), scans it once per detector, and maps spans
back. An analyzer made without its compiled probes refuses to scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol, Self, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from redline.contracts import BuildContext, ProbeSet, Trigger
from redline.errors import ConfigError
from redline.text.normalize import normalize_batch

BATCH: Final = 65_536  # messages per normalise+scan call

HITS_SCHEMA: Final = pa.schema([
    ("row", pa.int64()), ("probe", pa.int32()), ("detector", pa.string()), ("label", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()), ("score", pa.float64()), ("why", pa.string()),
    ("evidence", pa.string()),
])


class _ProbingConfig(Protocol):
    """The config of a probing group check: its text detectors as `when:` entries."""

    detectors: dict[str, Any]


def scan_texts(texts: pa.Array | pa.ChunkedArray, probes: ProbeSet) -> pa.Table:
    """Hits of every probe in `texts` (nulls read as empty): one row per hit (HITS_SCHEMA).

    `row` indexes `texts`; `start`/`end` are characters of the ORIGINAL text; `probe` is the
    index of the probe (in `probes.keys`) that matched. Each distinct text is scanned once:
    chat repeats itself (收到, 好的, 1), and the demo county has one distinct text per 7.5 messages.
    """
    values = pa.chunked_array([texts]) if isinstance(texts, pa.Array) else texts
    flat = values.combine_chunks().fill_null("") if len(values) else pa.array([], pa.string())
    encoded = pc.dictionary_encode(flat)
    unique_hits = _scan_unique(encoded.dictionary, probes)
    return _expand(unique_hits, encoded.indices.to_numpy(zero_copy_only=False))


class TextProbing:
    """Base of the group analyzers that run text probes (`contracts.ProbesText`).

    Their Config has a `detectors` field (registry key → config). Made by
    `redline.scan.records.analyzer_for` with `with_context(ctx)`, `ctx.probes` holding the
    detectors the plan compiled for each trigger; tests and benches compile theirs with
    `redline.rules.compile.record_plan`.
    """

    def __init__(self, probes: Mapping[str, ProbeSet] | None = None) -> None:
        self._probes: Mapping[str, ProbeSet] = probes or {}

    @classmethod
    def probes(cls, config: BaseModel) -> Mapping[str, Any]:
        """The text detectors this check runs, as `when:` entries (its config's `detectors`)."""
        return cast(_ProbingConfig, config).detectors

    @classmethod
    def with_context(cls, ctx: BuildContext) -> Self:
        """An analyzer holding the probes the plan built (`ctx.probes`, by trigger label)."""
        return cls(ctx.probes)

    def probe_set(self, trigger: Trigger) -> ProbeSet:
        """The compiled probes of `trigger`; a ConfigError if the plan did not build them."""
        found = self._probes.get(trigger.label)
        if found is None:
            raise ConfigError(
                f"{type(self).__name__}: no compiled text probes for trigger {trigger.label!r}; "
                "make the analyzer from a compiled plan (scan.records.analyzer_for)")
        return found

    def scan(self, texts: pa.Array | pa.ChunkedArray, trigger: Trigger) -> pa.Table:
        """`scan_texts` with the probes compiled for `trigger`."""
        return scan_texts(texts, self.probe_set(trigger))


def _scan_unique(texts: pa.Array, probes: ProbeSet) -> pa.Table:
    """Hits over distinct texts, `row` indexing `texts`."""
    cols: dict[str, list[Any]] = {f.name: [] for f in HITS_SCHEMA}
    for lo in range(0, len(texts), BATCH):
        batch = normalize_batch(texts.slice(lo, BATCH).to_pylist())
        for detector, labels in probes.detectors:
            for hit in detector.scan(batch.texts):
                probe = labels.get(hit.label)
                if probe is None:  # a detector may report labels of its own; not ours
                    continue
                start, end = batch.span(hit.row, hit.start, hit.end)
                cols["row"].append(lo + hit.row)
                cols["probe"].append(probe)
                cols["detector"].append(hit.detector)
                cols["label"].append(hit.label)
                cols["start"].append(start)
                cols["end"].append(end)
                cols["score"].append(hit.score)
                cols["why"].append(hit.why)
                cols["evidence"].append(batch.originals[hit.row][start:end])
    return pa.Table.from_pydict(cols, schema=HITS_SCHEMA)


def _expand(hits: pa.Table, codes: npt.NDArray[np.int64]) -> pa.Table:
    """Hits on distinct texts → hits on every row carrying that text, ordered by row."""
    if hits.num_rows == 0:
        return hits
    order = np.argsort(codes, kind="stable")
    ranked = codes[order]
    unique_row = hits["row"].to_numpy()
    first = np.searchsorted(ranked, unique_row, side="left")
    lengths = np.searchsorted(ranked, unique_row, side="right") - first
    which = np.repeat(np.arange(hits.num_rows), lengths)
    offset = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows = order[np.repeat(first, lengths) + offset]
    out = hits.take(pa.array(which)).set_column(0, "row", pa.array(rows, pa.int64()))
    return out.take(pc.sort_indices(out, [("row", "ascending"), ("probe", "ascending")]))
