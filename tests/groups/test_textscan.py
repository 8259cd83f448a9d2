"""Text probes of the group checks: compiled by the rules compiler, run over every copy of a text."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from redline.contracts import ProbeSet, Trigger
from redline.errors import ConfigError, PackError
from redline.groups.off_topic import OffTopic
from redline.groups.textscan import scan_texts
from redline.rules.compile import record_plan

TEXTS = ["收到", "机 密★1年 关于调整班子的请示", None, "收到", "机 密★1年 关于调整班子的请示", "周末打麻将三缺一"]


def _probes(detectors: dict[str, Any]) -> ProbeSet:
    trigger = Trigger("X-01", "X-01#groups.off_topic", OffTopic.Config.model_validate({"detectors": detectors}))
    return record_plan({"groups.off_topic": [trigger]}).probes[trigger.label]


def test_registry_detectors_hit_every_copy_with_original_offsets() -> None:
    probes = _probes({"secret_marks": {}, "lexicon": {"lexicon": ["off-topic"]}})
    assert probes.keys == ("secret_marks", "lexicon")
    hits = scan_texts(pa.array(TEXTS), probes)
    found = [(r["row"], r["probe"], r["evidence"]) for r in hits.to_pylist()]
    marks = [(row, ev) for row, probe, ev in found if probe == 0]
    assert [row for row, _ in marks] == [1, 4]          # each copy of the text, in row order
    assert all(ev.startswith("机 密") for _, ev in marks)  # a span of the ORIGINAL text
    assert (5, 1, "打麻将") in found


def test_the_first_field_shorthand_is_the_loaders() -> None:
    hits = scan_texts(pa.array(["周末打麻将三缺一"]), _probes({"lexicon": "off-topic"}))
    assert hits["evidence"].to_pylist() == ["打麻将"]


def test_empty_and_null_input() -> None:
    probes = _probes({"secret_marks": {}})
    assert scan_texts(pa.array([], pa.string()), probes).num_rows == 0
    assert scan_texts(pa.array([None, None], pa.string()), probes).num_rows == 0


@pytest.mark.parametrize(("detectors", "message"), [
    ({"no_such_detector": {}}, "unknown text detector 'no_such_detector'"),
    ({"lexicon": {"lexicon": ["of-topic"]}}, "unknown lexicon 'of-topic' \\(did you mean 'off-topic'\\?\\)"),
    ({"lexicon": {"nonsense": 1}}, "bad config for text detector 'lexicon'"),
], ids=["unknown-key", "unknown-lexicon", "bad-config"])
def test_bad_probes_are_pack_errors_at_compile_time(detectors: dict[str, Any], message: str) -> None:
    with pytest.raises(PackError, match=message):
        _probes(detectors)


def test_an_analyzer_without_compiled_probes_refuses_to_scan() -> None:
    trigger = Trigger("X-01", "X-01#groups.off_topic", OffTopic.Config())
    with pytest.raises(ConfigError, match="no compiled text probes"):
        OffTopic().scan(pa.array(["周末打麻将三缺一"]), trigger)
