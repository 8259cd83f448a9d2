"""The labelled work-chat conduct corpus (data/conduct/): schema, counts and split integrity.

A broken corpus (an unknown label, a duplicate text, a hand line whose variants straddle
train and dev, JSONL that no longer matches the hand files) must fail CI, not a training run.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from redline.training.conduct_data import corpus_records
from redline.vocab import Category

CORPUS = Path(__file__).resolve().parents[2] / "data" / "conduct"
CATEGORIES = (
    "secrets",
    "privacy",
    "rumour",
    "vulgar",
    "promotion",
    "gifts",
    "gambling",
    "superstition",
    "factions",
    "vote_buying",
    "flattery",
    "off_topic",
    "conduct",
)
FIELDS = {
    "id",
    "author",
    "text",
    "labels",
    "hard",
    "unit",
    "register",
    "origin",
    "rule",
    "kind",
    "channel",
    "group",
    "split",
}
# What the corpus promises (issue 20 item 1); lowered only with the datasheet.
MIN_PER_CATEGORY = 600
MIN_NEGATIVES = 6000
MAX_VARIANTS_PER_LINE = 4


def _rows() -> list[dict[str, Any]]:
    return [row for split in ("train", "dev") for row in corpus_records(CORPUS, split)]


ROWS = _rows()


def _build_module() -> ModuleType:
    tools = CORPUS / "tools"
    sys.path.insert(0, str(tools))
    spec = importlib.util.spec_from_file_location("conduct_build", tools / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_every_row_has_the_schema() -> None:
    for row in ROWS:
        assert set(row) == FIELDS, row
        assert isinstance(row["text"], str)
        assert row["text"].strip() == row["text"] != ""
        assert isinstance(row["hard"], bool)
        assert row["origin"] in ("hand", "variant")
        assert (row["rule"] is None) == (row["origin"] == "hand"), row
        assert row["split"] in ("train", "dev")
        assert all(row[key] for key in ("unit", "register", "channel")), row


def test_every_row_names_an_author_with_a_folder() -> None:
    """a0 wrote hand/; every other author is a folder of authors/ (leave-one-author-out needs it)."""
    folders = {"a0"} | {p.name for p in (CORPUS / "authors").glob("*") if p.is_dir()}
    assert {row["author"] for row in ROWS} == folders


def test_labels_are_in_the_vocabulary_and_sorted() -> None:
    assert set(CATEGORIES) <= {c.value for c in Category}  # the corpus speaks the packs' words
    for row in ROWS:
        assert row["labels"] == sorted(set(row["labels"])), row
        assert set(row["labels"]) <= set(CATEGORIES), row


def test_no_duplicate_texts_or_ids() -> None:
    texts = Counter(row["text"] for row in ROWS)
    assert [t for t, n in texts.items() if n > 1] == []
    assert len({row["id"] for row in ROWS}) == len(ROWS)


def test_a_hand_line_and_its_variants_stay_together() -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in ROWS:
        groups[row["group"]].append(row)
    for group, rows in groups.items():
        hand = [r for r in rows if r["origin"] == "hand"]
        assert len(hand) == 1, group
        assert len(rows) - 1 <= MAX_VARIANTS_PER_LINE, group
        # a variant changes the form, never the meaning: same labels, hardness, split
        for key in ("split", "labels", "hard", "kind", "unit", "channel", "author"):
            assert {json.dumps(r[key]) for r in rows} == {json.dumps(hand[0][key])}, (group, key)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_reaches_its_count(category: str) -> None:
    rows = [r for r in ROWS if category in r["labels"]]
    assert len(rows) >= MIN_PER_CATEGORY
    assert {r["split"] for r in rows} == {"train", "dev"}


def test_negatives_reach_their_count_and_half_are_hard() -> None:
    negatives = [r for r in ROWS if not r["labels"]]
    assert len(negatives) >= MIN_NEGATIVES
    assert sum(r["hard"] for r in negatives) * 2 >= len(negatives)


def _bigrams(text: str) -> set[str]:
    kept = "".join(ch for ch in text if ch.isalnum())
    return {kept[i : i + 2] for i in range(len(kept) - 1)}


def test_no_near_copy_of_a_hand_line_sits_in_the_other_split() -> None:
    """Two hand lines that differ by a word are one line for the split: dev must not see it."""
    hand = [r for r in ROWS if r["origin"] == "hand"]
    grams = [_bigrams(r["text"]) for r in hand]
    index: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].add(i)
    leaks = []
    for i, g in enumerate(grams):
        shared: Counter[int] = Counter(j for gram in g for j in index[gram] if j > i)
        for j, n in shared.items():
            if hand[i]["split"] != hand[j]["split"] and n / len(g | grams[j]) >= 0.8:
                leaks.append((hand[i]["text"], hand[j]["text"]))
    assert leaks == []


def test_dev_is_about_a_fifth_of_the_hand_lines() -> None:
    hand = [r for r in ROWS if r["origin"] == "hand"]
    share = sum(r["split"] == "dev" for r in hand) / len(hand)
    assert 0.12 < share < 0.28


def test_committed_jsonl_is_what_the_hand_files_build(tmp_path: Path) -> None:
    build = _build_module()
    rows = build.records(build.load_hand())
    build.write(rows, tmp_path)
    datasheet = (CORPUS / "DATASHEET.md").read_text(encoding="utf-8")
    assert build.stats_markdown(build.stats(rows)) in datasheet, "DATASHEET counts are stale"
    for name in ("train", "dev"):
        assert list(corpus_records(tmp_path, name)) == list(corpus_records(CORPUS, name)), (
            f"{name}.jsonl.gz is stale: run python data/conduct/tools/build.py")
    assert (tmp_path / "stats.json").read_text(encoding="utf-8") == (CORPUS / "stats.json").read_text(
        encoding="utf-8"), "stats.json is stale: run python data/conduct/tools/build.py"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("住建局|p", "expected unit|register|text"),
        ("住建局|zz|文本", "unknown register"),
        ("住建局|p|文本|+bribery", "unknown labels"),
    ],
)
def test_the_parser_rejects_malformed_hand_lines(tmp_path: Path, line: str, problem: str) -> None:
    build = _build_module()
    path = tmp_path / "gifts.txt"
    path.write_text(f"# header\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        build.parse_file(path)


def _write_author(folder: Path, files: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True)
    for name, lines in files.items():
        (folder / name).write_text("# a header\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_other_authors_are_read_beside_hand_with_the_same_variants_and_split(tmp_path: Path) -> None:
    build = _build_module()
    _write_author(tmp_path / "hand", {
        "gifts.txt": ["住建局|p|刘科长乔迁之喜，科里统一随礼每人200，直接转我微信"],
        "neg_work.txt": ["学校|p|明天上午九点开教研会，请准时参加"],
    })
    _write_author(tmp_path / "authors" / "w9", {
        "gifts.txt": ["粮站|p|王站长生日，大家每人凑三百买个金手镯送过去",
                      "住建局|p|刘科长乔迁之喜，科里统一随礼每人200，直接转我微信"],  # a0 wrote it first
        "neg_work.txt": ["医院|d|下午的会改到三点嘛，各科室晓得了吧"],
    })
    lines = build.load_hand(tmp_path)
    assert [(line.author, line.kind) for line in lines] == [
        ("a0", "gifts"), ("a0", "work"), ("w9", "gifts"), ("w9", "work")]
    rows = build.records(lines)
    wanted = build.wanted_variants(lines)
    for line in lines:
        mine = [r for r in rows if r["group"] == line.group]
        assert {r["author"] for r in mine} == {line.author}
        assert len(mine) - 1 <= wanted[line.kind]
        split = "dev" if build.is_validation(line.text, build.SPLIT_SALT) else "train"
        assert {r["split"] for r in mine} == {split}
    assert build.stats(rows)["author"] == dict(Counter(str(r["author"]) for r in rows).most_common())


def test_a_duplicate_within_one_author_is_an_error(tmp_path: Path) -> None:
    build = _build_module()
    _write_author(tmp_path / "hand", {"neg_work.txt": ["学校|p|明天开会"]})
    _write_author(tmp_path / "authors" / "w9", {"neg_work.txt": ["学校|p|今天开会", "医院|p|今天开会"]})
    with pytest.raises(ValueError, match="duplicate"):
        build.load_hand(tmp_path)
