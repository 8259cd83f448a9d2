"""The numpy CRF reproduces crfsuite's marginals; augmentation keeps gold spans on the names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from redline.detectors.classifiers.crf import TAGS, CharCRF, NameLexicon
from redline.training.ner import (
    NerRows,
    attribute_sequences,
    bio_tags,
    export_tagger,
    make_trainer,
    replace_names,
)

BITS = 16
ROWS = NerRows(
    ["张三和李四去北京开会", "王建国同志到了", "今天天气很好", "我见到了赵小红", "刘洋说明天下雨"] * 4,
    [[(0, 2), (3, 5)], [(0, 3)], [], [(4, 7)], [(0, 2)]] * 4,
)


@pytest.fixture(scope="module")
def lexicon() -> NameLexicon:
    surname = np.zeros(0x10000, dtype=np.uint8)
    surname[[ord(c) for c in "张李王赵刘"]] = 1
    given = np.zeros(0x10000, dtype=np.uint8)
    given[[ord(c) for c in "三四建国小红洋"]] = 2
    return NameLexicon(surname, given, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64))


def test_numpy_marginals_equal_crfsuite(tmp_path: Path, lexicon: NameLexicon) -> None:
    trainer = make_trainer(ROWS, lexicon, bits=BITS, c1=0.05, c2=0.01, iterations=40)
    path = str(tmp_path / "m.crf")
    trainer.train(path)
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    model: CharCRF = export_tagger(tagger, BITS, lexicon)
    long_text = "张三和李四去北京开会了今天天气很好" * 20  # 340 characters: cut into chain segments
    texts = ["孙七和张三见面", "好", "李四", "", "今天没有人名呢", long_text]
    probs, starts, lengths = model.marginals(texts)
    for k, xseq in enumerate(attribute_sequences(texts, lexicon, BITS)):
        if not xseq:
            continue
        tagger.set(xseq)
        expected = np.array([[tagger.marginal(t, i) for t in TAGS] for i in range(len(xseq))])
        got = probs[starts[k] : starts[k] + lengths[k]]
        if k < 5:
            assert np.allclose(got, expected, atol=1e-5)
        else:
            # exact away from the cuts at 128 and 256; the chain's memory is short
            far = np.abs((np.arange(len(xseq)) + 64) % 128 - 64) >= 8
            assert np.allclose(got[far], expected[far], atol=1e-3)
    tagger.close()


def test_bio_tags() -> None:
    assert bio_tags(5, [(0, 2), (3, 4)]) == ["B", "I", "O", "B", "O"]


def test_replace_names_keeps_spans_on_the_new_names() -> None:
    rows = NerRows(["我和张三说", "没有名字"], [[(2, 4)], []])
    out = replace_names(rows, ["欧阳修", "李白"], copies=3, seed=1)
    assert out.texts[:2] == rows.texts
    assert len(out.texts) == 2 + 3  # only rows with names are copied
    for text, spans in zip(out.texts[2:], out.spans[2:], strict=True):
        [(start, end)] = spans
        assert text[start:end] in {"欧阳修", "李白"}
        assert text.startswith("我和")
        assert text.endswith("说")
