"""Training data of `clf.conduct`: labelled work-chat conduct, real ordinary text, reviewers' decisions.

Sources (read in place, never copied):
- `data/conduct/{train,dev}.jsonl.gz` in the repository (our corpus, item 1 of issue 20) — when present;
- `../shared/datasets/conduct_pilot` (the project's own, a second author's voice);
- real ordinary text as negatives: COLD comments with label 0, QQ group chat with label 0,
  Weibo NER posts (all): people writing about their lives, games and hobbies (negatives in
  every category but the channel-bound off_topic, where their label is unknown);
- reviewers' decisions from a store (`--with-decisions`): an alert escalated into a case is a
  confirmed violation of its category, a dismissed one a message that breaks no rule.

The held-out part (a hash of the text, 20 %) is fixed across versions, so that the change a
retrain makes can be read on the same rows; decisions only ever join the training part.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import orjson

from redline.training.datasets import hash_fraction, normalized, read_jsonl
from redline.vocab import CONDUCT_CATEGORIES

CATEGORIES: Final = CONDUCT_CATEGORIES
SALT: Final = "conduct"
HELD_OUT: Final = 0.2
CORPUS_DIR: Final = Path(__file__).resolve().parents[3] / "data" / "conduct"
# what a row says about where it came from; "hard"/"written" rows are work chat written for
# Redline, "real" rows are ordinary text from the world, "decision" rows a reviewer's verdict
WRITTEN: Final = ("corpus", "pilot")
FIRST_AUTHOR: Final = "a0"  # the corpus's hand/ lines (a row without an author field)
# Categories that are a fault of the channel, not of the words: chat about dinner or a match is
# off-topic (与工作无关) in a work group and ordinary in a family or hobby group. A row from
# outside a work channel, and real ordinary text (whose channel is unknown), says nothing about
# them: its label there is unknown, not negative, so it neither teaches the model that such
# chat is harmless nor counts as a false lead when thresholds are chosen.
CHANNEL_BOUND: Final = ("off_topic",)
WORK_CHANNEL: Final = "work"
# the corpus's units that are not a workplace (a line's `unit`): the message was posted in a
# private or hobby group, and its `channel` says which (data/conduct/tools/build.py)
NON_WORK_UNITS: Final = {
    "游戏群": "hobby",
    "钓鱼群": "hobby",
    "球友群": "hobby",
    "跑团": "hobby",
    "家庭群": "family",
    "同学群": "friends",
}


@dataclass(frozen=True, slots=True)
class Rows:
    """Texts (normalised), a (n, K) label matrix over CATEGORIES, each row's source and author.

    The author is who wrote a written row (corpus `a0`, `w1` …; the pilot's one author is
    `pilot`); for other sources it is the source's name. Leave-one-author-out reads it.
    """

    texts: list[str]
    labels: npt.NDArray[np.bool_]
    sources: list[str]
    authors: list[str] = field(default_factory=list)  # empty: each row's source
    # (n, K): True where the row's label in that category is unknown (see CHANNEL_BOUND)
    unknown: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, len(CATEGORIES)), dtype=bool))

    def __post_init__(self) -> None:
        if not self.authors:
            self.authors.extend(self.sources)
        if self.unknown.shape[0] != len(self.texts):
            object.__setattr__(self, "unknown", np.zeros((len(self.texts), len(CATEGORIES)), dtype=bool))

    def where(self, keep: npt.NDArray[np.bool_]) -> Rows:
        idx = np.flatnonzero(keep).tolist()
        return Rows([self.texts[i] for i in idx], self.labels[idx], [self.sources[i] for i in idx],
                    [self.authors[i] for i in idx], self.unknown[idx])

    def __add__(self, other: Rows) -> Rows:
        return Rows(self.texts + other.texts, np.concatenate([self.labels, other.labels]),
                    self.sources + other.sources, self.authors + other.authors,
                    np.concatenate([self.unknown, other.unknown]))

    def author_is(self, *names: str) -> npt.NDArray[np.bool_]:
        return np.array([a in names for a in self.authors], dtype=bool)

    def __len__(self) -> int:
        return len(self.texts)

    def known(self, scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """`scores` (n, K) with the cells of unknown label at 0: such a cell is never a lead."""
        return np.where(self.unknown, 0.0, scores)

    @property
    def negative(self) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = ~np.asarray(self.labels.any(axis=1), dtype=bool)
        return out

    def source_is(self, *names: str) -> npt.NDArray[np.bool_]:
        return np.array([s in names for s in self.sources], dtype=bool)


def label_vector(labels: Iterable[str]) -> npt.NDArray[np.bool_]:
    """Category names → a boolean row over CATEGORIES (`none` and unknown names are ignored)."""
    row = np.zeros(len(CATEGORIES), dtype=bool)
    for name in labels:
        if name in CATEGORIES:
            row[CATEGORIES.index(name)] = True
    return row


def row_labels(record: dict[str, Any]) -> list[str]:
    """The categories of one `{"text", "labels": [...]}` or `{"text", "label": "..."}` line."""
    labels = record.get("labels")
    if labels is None:
        label = record.get("label", "none")
        labels = [] if label in (None, "", "none") else [label]
    return [str(x) for x in labels]


def channel_unknown(work: Sequence[bool]) -> npt.NDArray[np.bool_]:
    """(n, K) unknown-label mask: the CHANNEL_BOUND categories of rows not from a work channel."""
    out = np.zeros((len(work), len(CATEGORIES)), dtype=bool)
    for name in CHANNEL_BOUND:
        out[:, CATEGORIES.index(name)] = ~np.asarray(work, dtype=bool)
    return out


def make_rows(texts: Sequence[str], labels: Sequence[Sequence[str]], source: str,
              authors: Sequence[str] | None = None, work: Sequence[bool] | None = None) -> Rows:
    """Rows from raw texts and category lists, normalised as the scan engine will see them;
    `work`: whether each row was posted in a work channel (default: all were)."""
    matrix = np.array([label_vector(ls) for ls in labels], dtype=bool).reshape(len(texts), len(CATEGORIES))
    who = list(authors) if authors is not None else [source] * len(texts)
    unknown = channel_unknown(work if work is not None else [True] * len(texts))
    return Rows(normalized(list(texts)), matrix, [source] * len(texts), who, unknown)


def read_labelled(path: Path) -> tuple[list[str], list[list[str]]]:
    """Texts and category lists of a JSONL file of `{"text", "labels"}` lines."""
    texts: list[str] = []
    labels: list[list[str]] = []
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                record = orjson.loads(line)
                texts.append(str(record["text"]))
                labels.append(row_labels(record))
    return texts, labels


def corpus_records(corpus_dir: Path, name: str) -> Iterator[dict[str, Any]]:
    """The rows of one corpus file (`train`, `dev`): `<name>.jsonl.gz` as tools/build.py writes
    it (the register variants make the text ~30 MB, compressed ~5), else a plain `<name>.jsonl`;
    nothing when neither is there."""
    packed, plain = corpus_dir / f"{name}.jsonl.gz", corpus_dir / f"{name}.jsonl"
    if packed.is_file():
        data = gzip.decompress(packed.read_bytes())
    elif plain.is_file():
        data = plain.read_bytes()
    else:
        return
    for line in data.splitlines():
        if line.strip():
            yield orjson.loads(line)


def corpus(corpus_dir: Path = CORPUS_DIR) -> tuple[Rows, Rows]:
    """Our labelled corpus as (train, held-out), by its own `split` field (empty when absent).

    The corpus splits by hand line, so that a line's register variants never straddle the
    split; its `train` / `dev` files are read (`corpus_records`; the `hand/` sources they are
    built from are not read twice).
    """
    parts: dict[str, tuple[list[str], list[list[str]], list[str], list[bool]]] = {
        "train": ([], [], [], []), "dev": ([], [], [], [])}
    for name in ("train", "dev"):
        for record in corpus_records(corpus_dir, name):
            side = parts["dev" if record.get("split", name) == "dev" else "train"]
            side[0].append(str(record["text"]))
            side[1].append(row_labels(record))
            side[2].append(str(record.get("author", FIRST_AUTHOR)))
            side[3].append(record.get("channel", WORK_CHANNEL) == WORK_CHANNEL)
    train, dev = parts["train"], parts["dev"]
    return (make_rows(train[0], train[1], "corpus", train[2], train[3]),
            make_rows(dev[0], dev[1], "corpus", dev[2], dev[3]))


def pilot(data_dir: Path) -> Rows:
    rows = list(read_jsonl(data_dir, "conduct_pilot"))
    return make_rows([r["text"] for r in rows], [row_labels(r) for r in rows], "pilot")


def real_negatives(data_dir: Path) -> Rows:
    """Ordinary text that breaks no work-chat rule (see the module docstring). COLD's original
    test rows are a benchmark's test split and are never used, not even as ordinary text."""
    texts = [r["text"] for r in read_jsonl(data_dir, "cold")
             if int(r["label"]) == 0 and r["meta"]["orig_split"] != "test"]
    texts += [r["text"] for r in read_jsonl(data_dir, "qq_group_ads") if int(r["label"]) == 0]
    texts += [r["text"] for r in read_jsonl(data_dir, "weibo_ner")]
    return make_rows(texts, [[] for _ in texts], "real", work=[False] * len(texts))


def held_out_mask(rows: Rows) -> npt.NDArray[np.bool_]:
    """The fixed held-out rows: a hash of the normalised text (identical texts on one side)."""
    return np.array([hash_fraction(t, SALT) < HELD_OUT for t in rows.texts], dtype=bool)


def load(data_dir: Path, corpus_dir: Path = CORPUS_DIR, decisions: Rows | None = None) -> tuple[Rows, Rows]:
    """(training rows, held-out rows); decisions join training unless their text is held out.

    The corpus keeps its own split; the pilot and the real negatives are split by a hash.
    """
    corpus_train, corpus_held = corpus(corpus_dir)
    others = pilot(data_dir) + real_negatives(data_dir)
    held = held_out_mask(others)
    train, test = corpus_train + others.where(~held), corpus_held + others.where(held)
    if decisions is not None and len(decisions):
        held_texts = set(test.texts)
        train = train + decisions.where(np.array([t not in held_texts for t in decisions.texts], dtype=bool))
    return train, test


def written_and_real(data_dir: Path, corpus_dir: Path = CORPUS_DIR) -> tuple[Rows, Rows, Rows]:
    """For leave-one-author-out: every written row (all corpus splits, every author, and the
    pilot, whose one author is "pilot"), the real ordinary text to fit on, and the held-out real
    text (the same hash part as `load`)."""
    train, dev = corpus(corpus_dir)
    written = train + dev + pilot(data_dir)
    real = real_negatives(data_dir)
    held = held_out_mask(real)
    return written, real.where(~held), real.where(held)
