"""Versions of a retrainable shipped model: one folder per version, one pointer to the active one.

`redline/models/conduct/` holds `v<version>/` folders (model.npz, model.json, MODEL.md) and
`active.json` naming the version in use. Retraining writes a new folder beside the old ones
and never edits them; `redline models use VERSION` moves the pointer (switch or roll back).
`REDLINE_MODELS_DIR` points at another models root (tests, or an installation whose package
folder is read-only).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from redline.detectors.classifiers.base import MODELS_PACKAGE
from redline.errors import ConfigError

ENV_ROOT: Final = "REDLINE_MODELS_DIR"
ACTIVE: Final = "active.json"
VERSION_PATTERN: Final = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")


def models_root() -> Path:
    """The models root: `$REDLINE_MODELS_DIR` when set, else the package's `redline/models`."""
    env = os.environ.get(ENV_ROOT)
    return Path(env) if env else Path(str(resources.files(MODELS_PACKAGE)))


def folder_name(version: str) -> str:
    """`1.0.2` → `v1_0_2` (a Python package name, so setuptools ships it as package data)."""
    if not VERSION_PATTERN.match(version):
        raise ConfigError(f"model version {version!r} is not MAJOR.MINOR.PATCH")
    return "v" + version.replace(".", "_")


@dataclass(frozen=True, slots=True)
class ModelVersions:
    """The versions of one model under a models root."""

    name: str  # "conduct"
    root: Path

    @classmethod
    def of(cls, name: str, root: Path | None = None) -> ModelVersions:
        return cls(name, (root or models_root()) / name)

    def folder(self, version: str) -> Path:
        return self.root / folder_name(version)

    def available(self) -> list[str]:
        """Versions with a model.json, oldest first (numeric order)."""
        found = []
        for meta in self.root.glob("v*/model.json"):
            version = str(json.loads(meta.read_text(encoding="utf-8"))["version"])
            found.append(version)
        return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))

    def active(self) -> str:
        """The version in use (`active.json`), or the newest one when there is no pointer."""
        pointer = self.root / ACTIVE
        if pointer.is_file():
            return str(json.loads(pointer.read_text(encoding="utf-8"))["version"])
        versions = self.available()
        if not versions:
            raise ConfigError(f"no {self.name} model under {self.root} (run `redline train`)")
        return versions[-1]

    def use(self, version: str) -> None:
        """Make `version` the active one; it must exist."""
        if version not in self.available():
            raise ConfigError(
                f"no {self.name} model version {version!r}; available: {', '.join(self.available())}")
        (self.root / ACTIVE).write_text(json.dumps({"version": version}) + "\n", encoding="utf-8")

    def next_version(self) -> str:
        """The newest version with its minor number raised (1.0.0 → 1.1.0); 1.0.0 when none."""
        versions = self.available()
        if not versions:
            return "1.0.0"
        major, minor, _ = (int(p) for p in versions[-1].split("."))
        return f"{major}.{minor + 1}.0"
