"""redline.cache: where derived tables live, and that a bad or absent entry is rebuilt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redline import cache


def test_the_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "redline"
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "own"))
    assert cache.cache_dir() == tmp_path / "own"
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert cache.cache_dir() is None  # empty: the cache is off


def test_content_keys_tell_the_parts_apart() -> None:
    assert cache.content_key("ab", "c") != cache.content_key("a", "bc")
    assert cache.content_key("ab", b"c") == cache.content_key(b"ab", "c")


@pytest.mark.parametrize("damage", [None, b"", b"not an npz at all"])
def test_arrays_are_built_once_then_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: bytes | None) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"a": np.arange(5, dtype=np.uint32), "b": np.array([True, False])}

    if damage is not None:  # a torn or foreign entry is rebuilt, not trusted
        (tmp_path / "t-k.npz").write_bytes(damage)
    first = cache.cached_arrays("t", "k", build)
    second = cache.cached_arrays("t", "k", build)
    assert len(calls) == 1
    for got in (first, second):
        assert got["a"].tolist() == [0, 1, 2, 3, 4]
        assert got["a"].dtype == np.uint32
        assert got["b"].tolist() == [True, False]


def test_a_cache_that_cannot_be_written_only_costs_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked / "sub"))
    calls: list[int] = []
    for _ in range(2):
        got = cache.cached_arrays("t", "k", lambda: calls.append(1) or {"a": np.zeros(2)})
        assert got["a"].tolist() == [0.0, 0.0]
    assert len(calls) == 2
