from __future__ import annotations

import pyarrow as pa
import pytest

from redline.errors import ConfigError
from redline.groups.textscan import scan_texts, shipped_lexicon

TEXTS = ["收到", "机 密★1年 关于调整班子的请示", None, "收到", "机 密★1年 关于调整班子的请示", "周末打麻将三缺一"]


def test_registry_detectors_hit_every_copy_with_original_offsets() -> None:
    hits = scan_texts(pa.array(TEXTS), [("secret_marks", {}), ("lexicon", {"lexicon": ["off-topic"]})])
    found = [(r["row"], r["probe"], r["evidence"]) for r in hits.to_pylist()]
    marks = [(row, ev) for row, probe, ev in found if probe == 0]
    assert [row for row, _ in marks] == [1, 4]          # each copy of the text, in row order
    assert all(ev.startswith("机 密") for _, ev in marks)  # a span of the ORIGINAL text
    assert (5, 1, "打麻将") in found


def test_empty_and_null_input() -> None:
    assert scan_texts(pa.array([], pa.string()), [("secret_marks", {})]).num_rows == 0
    assert scan_texts(pa.array([None, None], pa.string()), [("secret_marks", {})]).num_rows == 0


@pytest.mark.parametrize(("probes", "message"), [
    ([("no_such_detector", {})], "not registered"),
    ([("lexicon", {"lexicon": ["no-such-list"]})], "unknown lexicon"),
    ([("lexicon", {"nonsense": 1})], "bad config"),
], ids=["unknown-key", "unknown-lexicon", "bad-config"])
def test_bad_probes_are_config_errors(probes, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message):
        scan_texts(pa.array(["x"]), probes)


def test_shipped_lexicon_drops_comments() -> None:
    terms = shipped_lexicon("factions")
    assert "小圈子" in terms
    assert not any(t.startswith("#") for t in terms)
