"""The folding tables read from the cache are the tables built from unicodedata and OpenCC."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from redline.text import tables


def test_cached_tables_equal_freshly_built_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path))
    tables.fold_tables.cache_clear()
    try:
        first = tables.fold_tables()  # builds (about a second) and writes the entry
        assert len(list(tmp_path.glob("fold-tables-*.npz"))) == 1
        tables.fold_tables.cache_clear()
        again = tables.fold_tables()  # read back
        built = tables._build_arrays()
        for f in fields(tables.FoldTables):
            for got in (getattr(first, f.name), getattr(again, f.name)):
                assert got.dtype == built[f.name].dtype, f.name
                assert np.array_equal(got, built[f.name]), f.name
    finally:
        tables.fold_tables.cache_clear()
