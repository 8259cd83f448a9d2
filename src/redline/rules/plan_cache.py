"""A compiled plan kept in the user's cache, so `redline screen` does not rebuild it every run.

Loading the packs (YAML, validation) and compiling them (lexicon spellings, hyperscan
databases, model files) takes over a second of one core; the result depends only on files on
disk and installed libraries. It is pickled (ScanPlan is picklable: Spark ships it to its
executors) under the cache directory (redline.cache), named by a hash of everything it is
made from:

- every file of the installed `redline` package (code, packs, lexicons, models): path, size,
  modification time;
- the pack files asked for (`--packs` may name files or folders outside the package);
- the overrides file and every file in its folder (its term lists are relative to it);
- a models folder given by `$REDLINE_MODELS_DIR`;
- the working directory (source locations are written relative to it), the Python version
  and the versions of the libraries whose objects are pickled.

A changed input gives another name, so a stale plan is never read. The entry is a pickle:
it is read only when the file belongs to the current user and nobody else may write it,
as for Python's own bytecode cache. Anything unusual (a huge overrides folder, an unreadable
entry) builds the plan as before.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Final, TypeVar

from redline.cache import cache_dir, content_key, write_atomic

MAX_OVERRIDE_FILES: Final = 2000  # an overrides folder larger than this is not scanned for changes
KEEP_PLANS: Final = 4  # entries kept (~25 MB each): a new code or pack version replaces the oldest
_LIBRARIES: Final = ("numpy", "hyperscan", "pydantic", "google-re2", "scikit-learn", "python-crfsuite")
_PACKAGE: Final = Path(__file__).resolve().parent.parent  # the installed `redline` package
T = TypeVar("T")


def _tree(root: Path, limit: int | None = None) -> list[str] | None:
    """`path size mtime` of every file under `root`, sorted; None past `limit` files."""
    out: list[str] = []
    stack = [str(root)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))  # DirEntry.stat: no second lookup per file
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(entry.path)
            elif not entry.name.endswith((".pyc", ".tmp")):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                out.append(f"{entry.path} {st.st_size} {st.st_mtime_ns}")
                if limit is not None and len(out) > limit:
                    return None
    return sorted(out)


def _files(paths: Iterable[Path]) -> list[str]:
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append(f"{path} missing")
            continue
        out.append(f"{path.resolve()} {st.st_size} {st.st_mtime_ns}")
    return out


def _versions() -> list[str]:
    out = [sys.version]
    for name in _LIBRARIES:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


def plan_key(packs: str, pack_paths: Iterable[Path], overrides: Path | None, extra: str = "") -> str | None:
    """The cache name of a plan built from these inputs, or None when it must not be cached."""
    parts = [f"packs {packs}", f"extra {extra}", f"cwd {Path.cwd()}", *_versions()]
    package = _tree(_PACKAGE)
    parts += package or []
    parts += _files(pack_paths)
    if overrides is not None:
        folder = _tree(overrides.resolve().parent, MAX_OVERRIDE_FILES)
        if folder is None:
            return None
        parts += [f"overrides {overrides.resolve()}", *folder]
    models = os.environ.get("REDLINE_MODELS_DIR")
    if models:
        parts += [f"models {models}", *(_tree(Path(models)) or [])]
    return content_key(*parts)


def _trusted(path: Path) -> bool:
    """Ours, and writable by nobody else: a pickle runs code when it is read."""
    try:
        st = path.stat()
    except OSError:
        return False
    same_owner = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return same_owner and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cached_plan(key: str | None, build: Callable[[], T]) -> T:
    """`build()`'s result, read from the cache entry `key` when there is one; else built and kept."""
    where = cache_dir()
    if key is None or where is None:
        return build()
    path = where / f"plan-{key}.pickle"
    if _trusted(path):
        try:
            with path.open("rb") as fh:
                found: T = pickle.load(fh)  # noqa: S301 - our own entry, checked by _trusted
            return found
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass  # an entry from another code version or a torn write: build again
    built = build()
    try:
        write_atomic(path, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        path.chmod(0o600)
        _prune(where)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only cache or an unpicklable detector: build again next time
    return built


def _prune(where: Path) -> None:
    """Delete all but the KEEP_PLANS most recently written plan entries."""
    entries = sorted(where.glob("plan-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP_PLANS:]:
        old.unlink(missing_ok=True)
