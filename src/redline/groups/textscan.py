"""Text probes: the registered text detectors (secret marks, 文号, flattery, canvassing, lexicons)
run over a column of group messages, in batches, with evidence spans in the original text.

Group checks never copy a detector: they name registry keys with `when:`-style configs, and
this module builds ONE detector per key for all of them (as the scan plan does), normalises
each batch once (`text.normalize`), scans it once per detector, and maps spans back.
Lexicon names in a config (fields `lexicon`, `lexicons`, `*_lexicon`, `*_lexicons`, the
packs' convention) are resolved from the lexicons the analyzer was given, i.e. the plan's
(shipped lists + the organisation's dirs + its overrides' add/remove), as the screening
engine's detectors are; only an analyzer built without a plan falls back to the shipped
`lexicons/*.txt`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Self

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ValidationError

from redline.contracts import BuildContext, Trigger
from redline.errors import ConfigError
from redline.text.normalize import normalize_batch

if TYPE_CHECKING:
    from redline.contracts import TextDetectorFactory

BATCH: Final = 65_536  # messages per normalise+scan call
Probe = tuple[str, Mapping[str, Any]]  # (registry key, config of the `when:` entry)

HITS_SCHEMA: Final = pa.schema([
    ("row", pa.int64()), ("probe", pa.int32()), ("detector", pa.string()), ("label", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()), ("score", pa.float64()), ("why", pa.string()),
    ("evidence", pa.string()),
])


def registered_detectors() -> Mapping[str, type[TextDetectorFactory]]:
    """The registry's text detectors.

    Imported when called, not at import time: the registry imports this package to register
    the group analyzers, and only the registry may name concrete detectors.
    """
    from redline.registry import TEXT_DETECTORS

    return TEXT_DETECTORS


def _is_lexicon_field(name: str) -> bool:
    return name in ("lexicon", "lexicons") or name.endswith(("_lexicon", "_lexicons"))


def shipped_lexicon(name: str) -> tuple[str, ...]:
    """Terms of a shipped lexicon (`#` comments dropped, `|flags` kept verbatim)."""
    path = resources.files("redline") / "lexicons" / f"{name}.txt"
    if not path.is_file():
        raise ConfigError(f"unknown lexicon {name!r}")
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return tuple(ln for ln in lines if ln and not ln.startswith("#"))


def _config(factory: type[TextDetectorFactory], key: str, raw: Mapping[str, Any] | str) -> BaseModel:
    if isinstance(raw, str):  # shorthand: the Config's first field, as in packs
        first = next(iter(factory.Config.model_fields))
        raw = {first: raw}
    try:
        return factory.Config.model_validate(dict(raw))
    except ValidationError as exc:
        raise ConfigError(f"bad config for text detector {key!r}: {exc}") from exc


def build_probes(
    probes: Sequence[Probe], factories: Mapping[str, type[TextDetectorFactory]] | None = None,
    lexicons: Mapping[str, tuple[str, ...]] | None = None,
) -> list[tuple[Any, dict[str, int]]]:
    """One built detector per registry key, with its trigger labels → probe index.

    Lexicon names resolve in `lexicons` (the plan's); None: the shipped lists.
    """
    factories = registered_detectors() if factories is None else factories
    by_key: dict[str, list[Trigger]] = defaultdict(list)
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    resolved: dict[str, tuple[str, ...]] = {}
    for i, (key, raw) in enumerate(probes):
        factory = factories.get(key)
        if factory is None:
            raise ConfigError(f"text detector {key!r} is not registered")
        cfg = _config(factory, key, raw)
        for fname, value in cfg:
            if _is_lexicon_field(fname) and value:
                for name in [value] if isinstance(value, str) else list(value):
                    if name not in resolved:
                        terms = lexicons.get(name) if lexicons is not None else None
                        resolved[name] = shipped_lexicon(name) if terms is None else tuple(terms)
        label = f"groups#{i}"
        by_key[key].append(Trigger("groups", label, cfg))
        labels[key][label] = i
    ctx = BuildContext(lexicons=resolved)
    return [(factories[key].build(trigs, ctx), labels[key]) for key, trigs in by_key.items()]


def scan_texts(
    texts: pa.Array | pa.ChunkedArray, probes: Sequence[Probe],
    factories: Mapping[str, type[TextDetectorFactory]] | None = None,
    lexicons: Mapping[str, tuple[str, ...]] | None = None,
) -> pa.Table:
    """Hits of every probe in `texts` (nulls read as empty): one row per hit (HITS_SCHEMA).

    `row` indexes `texts`; `start`/`end` are characters of the ORIGINAL text; `probe` is the
    index of the probe in `probes` that matched. Each distinct text is scanned once: chat
    repeats itself (收到, 好的, 1), and the demo county has one distinct text per 7.5 messages.
    """
    built = build_probes(probes, factories, lexicons)
    values = pa.chunked_array([texts]) if isinstance(texts, pa.Array) else texts
    flat = values.combine_chunks().fill_null("") if len(values) else pa.array([], pa.string())
    encoded = pc.dictionary_encode(flat)
    unique_hits = _scan_unique(encoded.dictionary, built)
    return _expand(unique_hits, encoded.indices.to_numpy(zero_copy_only=False))


class TextProbing:
    """Base of the group analyzers that run text probes: which detectors, which lexicons.

    `redline.scan.records.analyzer_for` builds them with `with_context(ctx)`, so that their
    lexicon names resolve to the plan's lists (organisation overrides included); built
    bare (tests, `groups audit --defaults`), they use the registry and the shipped lists.
    """

    def __init__(
        self, text_detectors: Mapping[str, type[TextDetectorFactory]] | None = None,
        lexicons: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.text_detectors = text_detectors  # None: the registry's
        self.lexicons = lexicons  # None: the shipped lists

    @classmethod
    def with_context(cls, ctx: BuildContext) -> Self:
        """An analyzer whose probes use the lexicons of `ctx` (the plan's, after overrides)."""
        return cls(lexicons=ctx.lexicons)

    def scan(self, texts: pa.Array | pa.ChunkedArray, probes: Sequence[Probe]) -> pa.Table:
        """`scan_texts` with this analyzer's detectors and lexicons."""
        return scan_texts(texts, probes, self.text_detectors, self.lexicons)


def _scan_unique(texts: pa.Array, built: list[tuple[Any, dict[str, int]]]) -> pa.Table:
    """Hits over distinct texts, `row` indexing `texts`."""
    cols: dict[str, list[Any]] = {f.name: [] for f in HITS_SCHEMA}
    for lo in range(0, len(texts), BATCH):
        batch = normalize_batch(texts.slice(lo, BATCH).to_pylist())
        for detector, labels in built:
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
