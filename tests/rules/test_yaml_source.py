from __future__ import annotations

import pytest

from redline.errors import PackError
from redline.rules.yaml_source import field_path, parse_yaml_text

DOC = """\
pack: x
rules:
  - id: A
    when:
      - lexicon: gift-offers
      - pii: {}
"""


def test_positions_are_one_based_for_keys_and_items() -> None:
    doc = parse_yaml_text(DOC, "p.yaml")
    assert doc.data == {"pack": "x", "rules": [{"id": "A", "when": [{"lexicon": "gift-offers"}, {"pii": {}}]}]}
    assert doc.positions[("pack",)] == (1, 1)
    assert doc.positions[("rules", 0, "when", 1, "pii")] == (6, 9)
    assert str(doc.location(("rules", 0, "when", 0, "lexicon"))) == "p.yaml:5:9: rules[0].when[0].lexicon"


def test_location_falls_back_to_the_nearest_known_ancestor() -> None:
    doc = parse_yaml_text(DOC, "p.yaml")
    where = doc.location(("rules", 0, "when", 0, "lexicon", "min_count"))
    assert (where.line, where.column, where.field) == (5, 9, "rules[0].when[0].lexicon.min_count")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "p.yaml:3:1: duplicate key"),
        ("a: [1\nb: 2\n", "p.yaml:2:2: expected ',' or ']'"),
        ("rules:\n  - id: A\n    id: B\n", "p.yaml:3:5: duplicate key"),
    ],
    ids=["duplicate-top", "syntax", "duplicate-nested"],
)
def test_errors_name_file_line_and_column(text: str, expected: str) -> None:
    with pytest.raises(PackError) as info:
        parse_yaml_text(text, "p.yaml")
    assert str(info.value).startswith(expected)


def test_field_path() -> None:
    assert field_path(("rules", 5, "when", 1, "lexicon")) == "rules[5].when[1].lexicon"
    assert field_path(()) == ""
