"""The training recipes by registry key: what `redline train MODEL` can build."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from redline.training import conduct, offensive, offensive_written, person_name, promotion

Recipe = Callable[[Path, Path], dict[str, Any]]

RECIPES: Final[Mapping[str, Recipe]] = MappingProxyType({
    "clf.conduct": conduct.train,
    "clf.offensive": offensive.train,
    # the 1.4.0 attempt (written rows; not shipped, see models/offensive/TRIED-1.4.0.md)
    "clf.offensive-written": offensive_written.train,
    "clf.promotion": promotion.train,
    "pii.person_name": person_name.train,
})


def recipe_for(name: str) -> Recipe | None:
    """The recipe for a registry key (`clf.` may be left out: `conduct`), or None."""
    return RECIPES.get(name) or RECIPES.get(f"clf.{name}")
