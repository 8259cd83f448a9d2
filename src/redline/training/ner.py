"""Fitting the character CRF with python-crfsuite and exporting it to plain arrays.

crfsuite sees each character's hashed template buckets as attribute strings; its learned
(attribute, tag) weights become a dense emission table indexed by bucket, which is what
`detectors.classifiers.crf.CharCRF` evaluates on batches.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pycrfsuite

from redline.detectors.classifiers.base import save_arrays
from redline.detectors.classifiers.crf import (
    TAGS,
    CharCRF,
    Marginals,
    NameLexicon,
    Span,
    char_features,
    decode_spans,
    window_hashes,
)
from redline.detectors.classifiers.hashing import encode_batch


@dataclass(frozen=True, slots=True)
class NerRows:
    """Texts and their gold name spans (start, end), characters, end exclusive."""

    texts: list[str]
    spans: list[list[tuple[int, int]]]


def bio_tags(length: int, spans: Sequence[tuple[int, int]]) -> list[str]:
    """BIO tags of one text from its gold spans."""
    tags = ["O"] * length
    for start, end in spans:
        tags[start] = "B"
        for i in range(start + 1, end):
            tags[i] = "I"
    return tags


def _bucket_counts(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    # 0 never, 1 rare (1-9), 2 common (10-99), 3 very common (100+)
    return np.digitize(counts, [1, 10, 100]).astype(np.uint8)


def _word_hashes(words: Sequence[str], n: int) -> npt.NDArray[np.uint64]:
    if not words:
        return np.zeros(0, dtype=np.uint64)
    cps, starts = encode_batch(words, fold_digits=True, markers=False)
    return np.unique(window_hashes(cps, n)[starts])


def jieba_names() -> tuple[frozenset[str], list[str]]:
    """(surnames, full names) from jieba's dictionary (words tagged nr, 人名; MIT).

    Words tagged nr are noisy (丁克 and 丁基 are tagged nr too), so only two- and
    three-character words that start with a one-character surname count as full names.
    """
    import jieba  # imported here: only training needs it

    path = Path(jieba.__file__).parent / "dict.txt"
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "nr":
            names.append(parts[0])
    surnames = frozenset(w for w in names if len(w) == 1 and ord(w) < 0x10000)
    full = sorted({w for w in names if len(w) in (2, 3) and w[0] in surnames})
    return surnames, full


def jieba_lexicon() -> NameLexicon:
    """Surname flags, given-name character classes and known-name hashes for the features."""
    surnames, full = jieba_names()
    surname = np.zeros(0x10000, dtype=np.uint8)
    surname[[ord(c) for c in surnames]] = 1
    given_counts = np.zeros(0x10000, dtype=np.int64)
    for word in full:
        for ch in word[1:]:
            if ord(ch) < 0x10000:
                given_counts[ord(ch)] += 1
    return NameLexicon(
        surname=surname,
        given=_bucket_counts(given_counts),
        names2=_word_hashes([w for w in full if len(w) == 2], 2),
        names3=_word_hashes([w for w in full if len(w) == 3], 3),
    )


def replace_names(rows: NerRows, pool: Sequence[str], copies: int, seed: int) -> NerRows:
    """The rows plus `copies` variants of each row with names, each name swapped for a random one.

    Mention replacement keeps the real Weibo context around each name while showing the
    CRF many more surname + given-name shapes than 1,000 messages contain.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible data augmentation, not security
    texts, spans = list(rows.texts), list(rows.spans)
    for _ in range(copies):
        for text, gold in zip(rows.texts, rows.spans, strict=True):
            if not gold:
                continue
            pieces: list[str] = []
            new_spans: list[tuple[int, int]] = []
            pos = length = 0
            for start, end in sorted(gold):
                pieces.append(text[pos:start])
                length += start - pos
                name = rng.choice(pool)
                pieces.append(name)
                new_spans.append((length, length + len(name)))
                length += len(name)
                pos = end
            pieces.append(text[pos:])
            texts.append("".join(pieces))
            spans.append(new_spans)
    return NerRows(texts, spans)


def attribute_sequences(texts: Sequence[str], lexicon: NameLexicon, bits: int) -> list[list[list[str]]]:
    """crfsuite's input: per text, per character, the bucket ids as attribute strings."""
    feats = char_features(texts, bits, lexicon)
    out: list[list[list[str]]] = []
    for k, text in enumerate(texts):
        start = int(feats.starts[k])
        block = feats.buckets[start : start + len(text)].tolist()
        out.append([[str(b) for b in row] for row in block])
    return out


def make_trainer(rows: NerRows, lexicon: NameLexicon, *, bits: int, c1: float, c2: float,
                 iterations: int) -> pycrfsuite.Trainer:
    """A crfsuite trainer loaded with the rows (L-BFGS, deterministic)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, xseq, spans in zip(rows.texts, attribute_sequences(rows.texts, lexicon, bits), rows.spans, strict=True):
        if text:
            trainer.append(xseq, bio_tags(len(text), spans))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    return trainer


def fit_crf(rows: NerRows, lexicon: NameLexicon, *, bits: int, c1: float, c2: float,
            iterations: int) -> CharCRF:
    """Train with L-BFGS and export the weights to a CharCRF."""
    trainer = make_trainer(rows, lexicon, bits=bits, c1=c1, c2=c2, iterations=iterations)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "crf.bin")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        try:
            return export_tagger(tagger, bits, lexicon)
        finally:
            tagger.close()


def export_tagger(tagger: pycrfsuite.Tagger, bits: int, lexicon: NameLexicon) -> CharCRF:
    """Copy an open crfsuite tagger's weights into a CharCRF (attributes are bucket ids)."""
    info = tagger.info()
    tag_index = {t: i for i, t in enumerate(TAGS)}
    emissions = np.zeros((1 << bits, len(TAGS)), dtype=np.float32)
    for (attr, tag), weight in info.state_features.items():
        emissions[int(attr), tag_index[tag]] = weight
    transitions = np.zeros((len(TAGS), len(TAGS)), dtype=np.float32)
    for (src, dst), weight in info.transitions.items():
        transitions[tag_index[src], tag_index[dst]] = weight
    return CharCRF(bits=bits, lexicon=lexicon, emissions=emissions, transitions=transitions)


def save_crf(model: CharCRF, path: Path) -> str:
    """Store only the non-zero emissions (flat index, weight) and the transitions; return sha256."""
    flat = model.emissions.ravel()
    nonzero = np.flatnonzero(flat)
    return save_arrays(path, {
        "emission_index": nonzero.astype(np.int32 if flat.size < 2**31 else np.int64),
        "emission_weight": flat[nonzero].astype(np.float32),
        "transitions": model.transitions.astype(np.float32),
        "bits": np.array([model.bits], dtype=np.int64),
        "surname": model.lexicon.surname,
        "given": model.lexicon.given,
        "names2": model.lexicon.names2,
        "names3": model.lexicon.names3,
    })


def span_pr(
    predicted: Sequence[Span], gold: Sequence[Sequence[tuple[int, int]]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Exact-match span PR curve: precision, recall, thresholds (descending), and hit flags."""
    gold_set = {(row, s, e) for row, spans in enumerate(gold) for s, e in spans}
    ordered = sorted(predicted, key=lambda p: -p.score)
    hit = np.array([(p.row, p.start, p.end) in gold_set for p in ordered], dtype=bool)
    scores = np.array([p.score for p in ordered], dtype=np.float64)
    tp = np.cumsum(hit)
    precision = tp / np.arange(1, hit.size + 1)
    recall = tp / max(len(gold_set), 1)
    return precision, recall, scores, hit


def span_figures(predicted: Sequence[Span], gold: Sequence[Sequence[tuple[int, int]]],
                 threshold: float) -> dict[str, float | int]:
    """Precision, recall, F1 of exact name spans at `threshold`."""
    kept = [p for p in predicted if p.score >= threshold]
    gold_set = {(row, s, e) for row, spans in enumerate(gold) for s, e in spans}
    tp = sum((p.row, p.start, p.end) in gold_set for p in kept)
    precision = tp / max(len(kept), 1)
    recall = tp / max(len(gold_set), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n_texts": len(gold), "gold_spans": len(gold_set), "predicted": len(kept),
            "threshold": round(threshold, 4), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def floor_curve(marginals: Marginals, gold: Sequence[Sequence[tuple[int, int]]],
                floors: Sequence[float]) -> list[dict[str, float | int]]:
    """Span figures at each decoding floor (the operating threshold of the detector)."""
    probs, starts, lengths = marginals
    return [span_figures(decode_spans(probs, starts, lengths, f), gold, f) for f in floors]
