"""Helpers for the shipped classifiers' model cards (the data sets fixture is in tests/conftest.py)."""

from __future__ import annotations

import re

from redline.detectors.classifiers.base import model_dir, sha256_file


def card_figures(name: str) -> tuple[str, float]:
    """(sha256, F1 on unseen rows) as written in the model card MODEL.md."""
    text = (model_dir(name) / "MODEL.md").read_text(encoding="utf-8")
    sha = re.search(r"^- sha256: ([0-9a-f]{64})$", text, re.MULTILINE)
    assert sha, "card has no sha256 line"
    header = next(line for line in text.splitlines() if line.startswith("| split |"))
    cols = [c.strip() for c in header.strip("|").split("|")]
    # the row on rows the model never saw: "validation", or for a benchmark split kept as such, "test"
    row = next(line for line in text.splitlines() if line.startswith(("| validation", "| test")))
    cells = [c.strip() for c in row.strip("|").split("|")]
    return sha.group(1), float(cells[cols.index("f1")])


def assert_card_checksum(name: str) -> float:
    """The shipped npz matches the card and model.json; returns the card's validation F1."""
    sha, f1 = card_figures(name)
    assert sha256_file(model_dir(name) / "model.npz") == sha
    return f1
