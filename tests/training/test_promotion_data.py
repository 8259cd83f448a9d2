"""clf.promotion's rows: what is held out stays out, and the hand-written negatives copy no example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from redline.rules.load import shipped_pack_paths
from redline.training import non_ads
from redline.training.chat_probe import probe
from redline.training.datasets import normalized, read_jsonl
from redline.training.promotion_data import CHAT_SOURCES, CORPUS, NON_ADS, load_splits


@pytest.fixture(scope="module")
def splits(data_dir: Path):  # type: ignore[no-untyped-def]
    return load_splits(data_dir)


def test_the_corpus_dev_split_is_never_trained_on(splits) -> None:  # type: ignore[no-untyped-def]
    train = set(splits["train"].texts)
    dev = splits["corpus_dev_all"]
    assert len(dev.texts) > 1000
    assert dev.labels.sum() > 50
    assert not train & set(dev.texts)
    # the scored dev rows are ads and rows breaking no rule; the "all" rows add other violations
    assert set(splits["corpus_dev"].texts) < set(dev.texts)


def test_no_cold_test_row_is_trained_on(splits, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    test_rows = normalized([r["text"] for r in read_jsonl(data_dir, "cold") if r["meta"]["orig_split"] == "test"])
    cold = [t for t, s in zip(splits["train"].texts, splits["train"].sources, strict=True) if s == "cold"]
    assert cold
    assert not set(cold) & set(test_rows)


def test_every_chat_source_is_in_training(splits) -> None:  # type: ignore[no-untyped-def]
    # leaving a source out means something only if the shipped model has it
    sources = set(splits["train"].sources)
    assert set(CHAT_SOURCES) <= sources
    assert {NON_ADS} <= sources
    ads = splits["train"].labels[np.array([s == CORPUS for s in splits["train"].sources])]
    assert 0 < ads.sum() < ads.size


def _pack_examples() -> set[str]:
    out: set[str] = set()
    for path in shipped_pack_paths():
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            for texts in (rule.get("examples") or {}).values():
                out.update(str(t) for t in texts or ())
    return out


def test_non_ads_copies_no_pack_example_and_no_probe_line() -> None:
    examples = _pack_examples()
    assert len(examples) > 100  # the packs' examples were found
    lines = set(non_ads.negatives())
    assert len(lines) == len((*non_ads.CONTACT, *non_ads.MONEY))  # no duplicates
    assert not lines & examples
    assert not lines & set(probe()[0])


def test_the_relabelling_is_read_by_key_and_leaves_out_unclear_and_conflicting_rows(data_dir: Path, tmp_path: Path) -> None:
    import hashlib

    from redline.training.promotion_data import relabelled

    every = [r["text"] for r in read_jsonl(data_dir, "qq_group_ads")]
    first: dict[str, str] = {}
    for text, norm in zip(every, normalized(every), strict=True):
        first.setdefault(norm, text)
    raw = [t for n, t in first.items() if every.count(t) == 1 and sum(x == n for x in first) == 1][:4]
    keys = [hashlib.sha256(t.encode()).hexdigest()[:16] for t in raw]
    tsv = tmp_path / "relabel.tsv"
    tsv.write_text("key\tsrc\tlabel\tnote\n" + f"{keys[0]}\tx\tad\t\n{keys[1]}\tx\tnot\thard\n{keys[2]}\tx\tunclear\t\n",
                   encoding="utf-8")
    a, b, _unclear, _unlisted = normalized(raw)
    assert relabelled(data_dir, tsv) == {a: True, b: False}  # unclear and unlisted rows are not read
    assert relabelled(data_dir, tmp_path / "absent.tsv") == {}


def test_the_shipped_relabelling_covers_the_qq_rows(data_dir: Path) -> None:
    from redline.training.promotion_data import relabelled

    ours = relabelled(data_dir)
    assert len(ours) > 1800  # 1,987 distinct texts, a few dozen unclear
    assert 150 < sum(ours.values()) < 250
