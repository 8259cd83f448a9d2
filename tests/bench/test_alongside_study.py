"""The alongside study: reading multi-breach authors, the per-category choice, the figures, and
the shipped pack agreeing with the recorded study."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from bench.alongside_study import Screened, choose, figures, read_author

from bench import alongside_study
from redline.rules.load import shipped_pack_paths
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

K = len(CATEGORIES)
GIFTS, CONDUCT, VULGAR = (CATEGORIES.index(c) for c in ("gifts", "conduct", "vulgar"))


def _screened(n_right: int, n_wrong: int, ratio: float) -> Screened:
    """Gifts messages, all led in gifts; the first `n_right` also carry conduct, the next
    `n_wrong` do not; every one of both groups has a conduct alongside lead at `ratio`."""
    n = n_right + n_wrong
    gold = np.zeros((n, K), dtype=bool)
    gold[:, GIFTS] = True
    gold[:n_right, CONDUCT] = True
    primary = np.zeros((n, K), dtype=bool)
    primary[:, GIFTS] = True
    base = primary.copy()
    ratios = np.zeros((n, K))
    ratios[:, CONDUCT] = ratio
    return Screened(gold, primary, base, ratios)


@pytest.mark.parametrize(("right", "wrong", "chosen"), [
    (6, 1, True),  # right 6 of 7: above the precision bound
    (3, 3, False),  # half right: below it
    (2, 0, False),  # too few to judge
])
def test_a_category_is_chosen_only_when_its_added_leads_are_mostly_right(right: int, wrong: int, chosen: bool) -> None:
    whole = _screened(right, wrong, 0.3)
    by_clause = _screened(right, wrong, 0.0)  # clauses add nothing here
    picked, table = choose(whole, by_clause)
    assert ("conduct" in picked) is chosen
    if chosen:
        assert picked["conduct"] == ("whole", 0.2)  # the largest share that keeps all of them
    assert table["conduct whole 0.5"] == [0, 0]  # 0.3 < 0.5: none at that share


def test_figures_count_secondary_labels_and_wrong_categories() -> None:
    s = _screened(2, 2, 0.3)
    led = s.base.copy()
    led[:, CONDUCT] = True  # conduct added on all four
    got = figures(s, led)
    assert got["secondary_labels_named"] == "2 of 2"
    assert got["wrong_categories_per_single_label_line"] == 1.0  # both single-breach lines got conduct
    assert got["recall_all_labels"] == 1.0
    assert figures(s, s.base)["recall_all_labels"] == 0.5  # gifts 1.0, conduct 0.0


def test_read_author_takes_the_file_as_primary_and_the_fourth_field_as_secondaries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mX"
    folder.mkdir()
    (folder / "gifts.txt").write_text(
        "# gifts: definition\n"
        "乡镇|p|节前给所长拎两箱酒|+conduct\n"
        "乡镇|p|老板送的卡大家分了|\n"  # an empty fourth field: no secondary
        "乡镇|p|卡是给你的，别声张|+conduct,+secrets,+gifts\n",  # its own category is not a secondary
        encoding="utf-8")
    (folder / "README.md").write_text("not a category file", encoding="utf-8")
    monkeypatch.setattr(alongside_study, "ROOT", tmp_path)
    texts, labels = read_author("mX")
    assert texts == ["节前给所长拎两箱酒", "老板送的卡大家分了", "卡是给你的，别声张"]
    assert labels == [["gifts", "conduct"], ["gifts"], ["gifts", "conduct", "secrets"]]
    (folder / "vulgar.txt").write_text("乡镇|p\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"vulgar.txt:1"):
        read_author("mX")


def test_the_shipped_pack_carries_the_recorded_choice() -> None:
    recorded = json.loads((Path(__file__).resolve().parents[2] / "bench/results/alongside_study.json").read_text(encoding="utf-8"))["chosen"]
    pack = next(p for p in shipped_pack_paths() if p.stem == "conduct-model").read_text(encoding="utf-8")
    shipped = {cat: (share, clauses == "true") for cat, share, clauses in re.findall(
        r"category: ([a-z_]+), alongside: \{share: ([\d.]+)(?:, clauses: (true|false))?\}", pack)}
    assert shipped == {cat: (str(v["share"]), v["reading"] == "clauses") for cat, v in recorded.items()}
