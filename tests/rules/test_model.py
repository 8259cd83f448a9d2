from __future__ import annotations

import pytest
from pydantic import ValidationError

from redline.rules.model import Examples, Rule, When


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"lexicon": "gift-offers"}, ("lexicon", "gift-offers", None, None)),
        ({"pii": {}}, ("pii", {}, None, None)),
        ({"pii": None, "category": "privacy"}, ("pii", None, "privacy", None)),
        ({"gift_offer": {"window": 8}, "min_score": 0.5}, ("gift_offer", {"window": 8}, None, 0.5)),
    ],
    ids=["scalar", "mapping", "category", "min-score"],
)
def test_when_forms(raw: dict[str, object], expected: tuple[object, ...]) -> None:
    when = When.model_validate(raw)
    assert (when.key, when.config, when.category, when.min_score) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"lexicon": "a", "pii": {}}, "names exactly one detector key, got 2"),
        ({"category": "gifts"}, "names exactly one detector key, got 0"),
        ("lexicon", "a `when` entry is a mapping"),
        ({"pii": {}, "category": "bribes"}, "Input should be 'political'"),
    ],
    ids=["two-keys", "no-key", "not-a-mapping", "bad-category"],
)
def test_when_errors(raw: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        When.model_validate(raw)


def test_rule_ids_and_examples() -> None:
    base = {"title": "t", "text": "x", "category": "gifts", "severity": "high"}
    assert Rule.model_validate({**base, "id": "FX-02"}).id == "FX-02"
    for bad in ("fx-02", "FX02", "FX-2", "FX-002"):
        with pytest.raises(ValidationError, match="String should match pattern"):
            Rule.model_validate({**base, "id": bad})
    with pytest.raises(ValidationError, match="an example text is empty"):
        Examples.model_validate({"match": ["  "]})
    rule = Rule.model_validate({**base, "id": "FX-02"})
    with pytest.raises(ValidationError):
        rule.id = "FX-03"  # type: ignore[misc]  # frozen: a loaded rule never changes
