"""Shipped model files and the linear n-gram text classifier that scores whole batches.

A model is two package-data files in `redline/models/<name>/`: `model.npz` (plain numpy
arrays, loaded with `allow_pickle=False`) and `model.json` (metadata: version, hasher
parameters, operating threshold, validation figures, the npz's sha256).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import Hit, HitColumns, Trigger, config_as
from redline.detectors.classifiers.grams import sigmoid, window_sums
from redline.detectors.classifiers.hashing import NgramHasher
from redline.detectors.register import official_rows
from redline.errors import ConfigError
from redline.text.joined import JoinedText

MODELS_PACKAGE: Final = "redline.models"
_FIXED_ZIP_TIME: Final = (2020, 1, 1, 0, 0, 0)  # so that retraining gives a byte-identical file


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_arrays(path: Path, arrays: Mapping[str, npt.NDArray[Any]]) -> str:
    """Write arrays as a deterministic, compressed .npz (no pickled objects); return its sha256."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            array = np.ascontiguousarray(arrays[key])
            if array.dtype == object:
                raise ConfigError(f"array {key!r} holds Python objects; models must be plain numbers")
            buf = io.BytesIO()
            np.lib.format.write_array(buf, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
    return sha256_file(path)


def model_dir(name: str, root: Path | None = None) -> Path:
    """Folder of a shipped model (`offensive`, `promotion`, `person_name`).

    A model kept in versions (`<name>/v1_4_0/` … and `active.json`, see versions.py) resolves
    to its active version's folder, so `redline models use` switches what is loaded.
    """
    folder = root / name if root is not None else Path(str(resources.files(MODELS_PACKAGE).joinpath(name)))
    if (folder / "model.json").is_file() or not any(folder.glob("v*/model.json")):
        return folder
    from redline.detectors.classifiers.versions import ModelVersions  # imports this module

    versions = ModelVersions(name, folder)
    return versions.folder(versions.active())


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """A loaded model: its metadata and arrays, checked against the recorded checksum."""

    meta: Mapping[str, Any]
    arrays: Mapping[str, npt.NDArray[Any]]
    path: Path

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])


def load_model_files(folder: Path) -> ModelFiles:
    """Load `model.json` + `model.npz` from a folder; the npz must match the recorded sha256."""
    meta_path, npz_path = folder / "model.json", folder / "model.npz"
    if not meta_path.is_file() or not npz_path.is_file():
        raise ConfigError(f"model files missing in {folder} (run `redline train`)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = sha256_file(npz_path)
    if digest != meta.get("sha256"):
        raise ConfigError(f"{npz_path}: sha256 {digest} does not match model.json ({meta.get('sha256')})")
    with np.load(npz_path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return ModelFiles(meta=meta, arrays=arrays, path=folder)


@lru_cache(maxsize=8)
def shipped_model(name: str) -> ModelFiles:
    """A shipped model, loaded once per process."""
    return load_model_files(model_dir(name))


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """Logistic model over hashed character n-grams: p = sigmoid(b + scale * sum w[bucket])."""

    hasher: NgramHasher
    weights: npt.NDArray[np.float32]
    bias: float

    @classmethod
    def from_files(cls, files: ModelFiles) -> LinearTextModel:
        hasher = NgramHasher(**files.meta["hasher"])
        weights = files.arrays["weights"].astype(np.float32)
        if weights.shape != (1 << hasher.bits,):
            raise ConfigError(f"{files.path}: weights shape {weights.shape} does not fit {hasher}")
        return cls(hasher=hasher, weights=weights, bias=float(files.arrays["bias"][0]))

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probability of the positive class for every text of the batch (one vectorised pass)."""
        return sigmoid(self.logits(texts))

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """The log-odds behind `scores` (what a model stacked on this one adds to)."""
        sums, counts = window_sums(self.hasher, texts, self.weights)
        out: npt.NDArray[np.float64] = self.bias + sums / np.sqrt(np.maximum(counts, 1))
        return out


class ClassifierConfig(BaseModel):
    """A `when:` entry for a text classifier, e.g. `clf.offensive: {threshold: 0.9}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: the model card's
    # leads on official prose too (register.py); by default a model's guess is not made there
    official_prose: bool = False


@dataclass(frozen=True, slots=True)
class MessageClassifier:
    """A built whole-message classifier: one score per text, one hit per trigger passed."""

    detector: str
    model_name: str
    model: LinearTextModel
    version: str
    default_threshold: float
    triggers: tuple[tuple[str, float], ...]  # (label, threshold)
    prose_labels: frozenset[str] = frozenset()  # labels that lead on official prose too

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self.model.scores(texts)

    def lead_scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Scores that decide every trigger as `scores` does; a model with a first stage
        (ngram_gate.py) gives 0 where it stops a message, below every trigger's threshold."""
        return self.scores(texts)

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits cover the whole message; `why` names the model, version and threshold."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns (no `Hit` per lead): sorted by (row, label) as `scan` is."""
        scores = self.lead_scores(texts)
        joined = getattr(texts, "joined", None)
        if isinstance(joined, JoinedText):
            lengths = joined.row_ends - joined.row_starts  # code points = characters of each row
        else:
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        labels = sorted({label for label, _ in self.triggers})
        rank = {label: i for i, label in enumerate(labels)}
        low = min((t for _, t in self.triggers), default=1.0)
        # official prose among the rows some trigger passes (a few): the register is read there only
        prose = official_rows(texts, np.flatnonzero(scores >= low))
        parts: list[tuple[npt.NDArray[np.int64], int, float]] = []
        for label, threshold in self.triggers:
            keep = scores >= threshold
            if label not in self.prose_labels:
                keep &= ~prose
            parts.append((np.flatnonzero(keep), rank[label], threshold))
        rows = np.concatenate([r for r, _, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
        label_ids = np.concatenate([np.full(len(r), k, dtype=np.int64) for r, k, _ in parts]) if parts else rows
        order = np.lexsort((label_ids, rows))  # stable: a label's triggers keep their order
        rows, label_ids = rows[order].astype(np.int64), label_ids[order]
        thresholds = [t for r, _, t in parts for _ in range(len(r))]
        hit_scores = scores[rows].astype(np.float64)
        whys: dict[str, int] = {}
        why_ids = np.fromiter(
            (whys.setdefault(f"model {self.detector} v{self.version}: score {score:.3f} "
                             f"≥ threshold {thresholds[i]:.3f}", len(whys))
             for i, score in zip(order.tolist(), hit_scores.tolist(), strict=True)),
            dtype=np.int64, count=len(rows))
        return HitColumns(self.detector, tuple(labels), tuple(whys), rows, np.zeros(len(rows), dtype=np.int64),
                          lengths[rows].astype(np.int64), label_ids, why_ids, hit_scores)


_M = TypeVar("_M", bound=MessageClassifier)


def build_message_classifier(
    detector: str, model_name: str, triggers: Sequence[Trigger], kind: type[_M]
) -> _M:
    """Load the shipped model once and attach each trigger's threshold (Config or the card's)."""
    files = shipped_model(model_name)
    model = LinearTextModel.from_files(files)
    resolved: list[tuple[str, float]] = []
    prose: set[str] = set()
    for trigger in triggers:
        config = config_as(trigger, ClassifierConfig)
        threshold = config.threshold
        resolved.append((trigger.label, files.threshold if threshold is None else float(threshold)))
        if config.official_prose:
            prose.add(trigger.label)
    return kind(
        detector=detector,
        model_name=model_name,
        model=model,
        version=files.version,
        default_threshold=files.threshold,
        triggers=tuple(resolved),
        prose_labels=frozenset(prose),
    )
