"""Reading and writing a `clf.conduct` version: model.npz (arrays) + model.json (metadata).

The npz holds plain numbers only (float16 weights, loaded with allow_pickle=False); the json
holds the categories, both hashers, the gate's threshold, each category's calibrated threshold
and the npz's sha256 (checked on load, as for every shipped model).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from redline.detectors.classifiers.base import load_model_files, save_arrays
from redline.detectors.classifiers.hashing import NgramHasher
from redline.detectors.classifiers.multilabel import MultiLabelModel
from redline.detectors.classifiers.versions import ModelVersions
from redline.errors import ConfigError

NAME: Final = "conduct"
DETECTOR: Final = "clf.conduct"


def _hasher_dict(hasher: NgramHasher) -> dict[str, Any]:
    return {"n_min": hasher.n_min, "n_max": hasher.n_max, "bits": hasher.bits,
            "fold_digits": hasher.fold_digits, "markers": hasher.markers}


@dataclass(frozen=True, slots=True)
class ConductModel:
    """One loaded version: the model, its thresholds per category, its metadata."""

    version: str
    model: MultiLabelModel
    thresholds: Mapping[str, float]
    meta: Mapping[str, Any]
    path: Path


def save(folder: Path, model: MultiLabelModel, version: str, thresholds: Mapping[str, float],
         extra: Mapping[str, Any]) -> str:
    """Write a version's files into `folder` (created); return the npz sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    # a package, so that setuptools ships the folder's files as package data
    (folder / "__init__.py").write_text(f'"""Package data: clf.conduct model v{version}."""\n', encoding="utf-8")
    sha = save_arrays(folder / "model.npz", {
        "weights": model.weights.astype(np.float16),
        "bias": model.bias.astype(np.float64),
        "gate_weights": model.gate_weights.astype(np.float16),
        "gate_bias": np.array([model.gate_bias], dtype=np.float64),
    })
    meta = {
        "name": DETECTOR, "model": NAME, "version": version, "kind": "multilabel-linear-ngram",
        "categories": list(model.categories), "hasher": _hasher_dict(model.hasher),
        "gate": {"hasher": _hasher_dict(model.gate_hasher), "threshold": round(model.gate_threshold, 6),
                 "min_chars": model.min_chars},
        "thresholds": {k: round(float(v), 6) for k, v in thresholds.items()},
        # the smallest category threshold: what base.ModelFiles.threshold reports
        "threshold": round(float(min(thresholds.values())), 6),
        **extra,
        "sha256": sha,
    }
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sha


def load(folder: Path) -> ConductModel:
    """Load one version's folder (checksum checked)."""
    files = load_model_files(folder)
    meta = files.meta
    categories = tuple(meta["categories"])
    weights = files.arrays["weights"].astype(np.float32)
    hasher = NgramHasher(**meta["hasher"])
    gate_hasher = NgramHasher(**meta["gate"]["hasher"])
    if weights.shape != (1 << hasher.bits, len(categories)):
        raise ConfigError(f"{folder}: weights shape {weights.shape} does not fit {hasher} × {len(categories)}")
    model = MultiLabelModel(
        categories=categories, hasher=hasher, weights=weights,
        bias=files.arrays["bias"].astype(np.float64),
        gate_hasher=gate_hasher, gate_weights=files.arrays["gate_weights"].astype(np.float32),
        gate_bias=float(files.arrays["gate_bias"][0]), gate_threshold=float(meta["gate"]["threshold"]),
        min_chars=int(meta["gate"].get("min_chars", 4)),
    )
    return ConductModel(str(meta["version"]), model, dict(meta["thresholds"]), meta, folder)


@lru_cache(maxsize=4)
def _load_cached(folder: str, mtime: float) -> ConductModel:
    del mtime  # part of the cache key: a retrained folder is read again
    return load(Path(folder))


def active(root: Path | None = None, version: str | None = None) -> ConductModel:
    """The active version (or `version`), loaded once per process per folder."""
    versions = ModelVersions.of(NAME, root)
    folder = versions.folder(version or versions.active())
    meta = folder / "model.json"
    if not meta.is_file():
        raise ConfigError(f"no clf.conduct model in {folder} (run `redline train clf.conduct`)")
    return _load_cached(str(folder), meta.stat().st_mtime)
