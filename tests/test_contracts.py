"""The engine's contracts are declared: columnar detectors by protocol, configs by their type."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from redline.contracts import BuildContext, ColumnarDetector, ProbesText, Trigger, config_as
from redline.detectors.cues import CueConfig
from redline.detectors.lexicon import LexiconDetector
from redline.detectors.regex import RegexDetector
from redline.registry import RECORD_ANALYZERS


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


def test_a_typo_in_a_config_is_an_error_not_a_default() -> None:
    with pytest.raises(ValidationError, match="windw"):
        config_as(Trigger("R-1", "R-1#0", _Loose(windw=5)), CueConfig)
    assert config_as(Trigger("R-1", "R-1#0", _Loose(window=5)), CueConfig).window == 5


@pytest.mark.parametrize(("factory", "raw", "columnar"), [
    (LexiconDetector, {"lexicon": "x"}, True),
    (RegexDetector, {"pattern": ["abc"]}, False),
], ids=["lexicon", "regex"])
def test_the_engine_knows_a_columnar_detector_by_its_protocol(factory, raw, columnar: bool) -> None:  # type: ignore[no-untyped-def]
    trigger = Trigger("R-1", "R-1#0", factory.Config.model_validate(raw))
    built = factory.build([trigger], BuildContext(lexicons={"x": ("红包",)}))
    assert isinstance(built, ColumnarDetector) is columnar


def test_the_text_probing_analyzers_are_exactly_the_group_checks_with_detectors() -> None:
    probing = sorted(k for k, cls in RECORD_ANALYZERS.items() if issubclass(cls, ProbesText))
    assert probing == ["groups.classified_content", "groups.faction", "groups.flattery", "groups.off_topic"]
