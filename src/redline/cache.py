"""The user's cache of derived tables and compiled databases (never anything fetched).

Start-up work that depends only on code and installed libraries (the Unicode folding tables,
compiled hyperscan databases) is done once and kept under the cache directory:
`$REDLINE_CACHE_DIR` when set (an empty value turns the cache off), else
`$XDG_CACHE_HOME/redline`, else `~/.cache/redline`. Entries are named by a hash of
everything they are made from, so a changed input gets a new entry and is never served a
stale one. A cache that cannot be read or written (read-only home) only costs time: the
caller builds again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

CACHE_ENV: Final = "REDLINE_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where cached entries live, or None when `$REDLINE_CACHE_DIR` is set empty (cache off)."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redline"


def content_key(*parts: bytes | str) -> str:
    """A hex digest naming a cache entry by everything it is made from."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))  # lengths keep ("ab","c") apart from ("a","bc")
        digest.update(data)
    return digest.hexdigest()[:32]


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` so that a concurrent reader sees the old entry, the new one, or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def cached_arrays(
    name: str, key: str, build: Callable[[], Mapping[str, npt.NDArray[np.generic]]],
) -> dict[str, npt.NDArray[np.generic]]:
    """The arrays `build()` makes, read from `<cache>/<name>-<key>.npz` when already there."""
    where = cache_dir()
    path = where / f"{name}-{key}.npz" if where is not None else None
    if path is not None:
        try:
            with np.load(path) as stored:
                return {k: stored[k] for k in stored.files}
        except (OSError, ValueError, KeyError, EOFError):
            pass  # absent or unreadable: build it (and replace the entry below)
    arrays = dict(build())
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
            np.savez(tmp, **arrays)  # type: ignore[arg-type]
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache: the next process builds again
    return arrays
