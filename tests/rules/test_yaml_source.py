from __future__ import annotations

import io

import pytest
from hypothesis import given, settings, strategies as st
from ruamel.yaml import YAML

from redline.errors import PackError
from redline.specs.yaml_source import field_path, parse_yaml_text

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


_keys = st.text(alphabet="abcdefghij_红包", min_size=1, max_size=6)
_scalars = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.text(alphabet="abc 红包★:-#'\"\\", max_size=12))
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=20,
)


def _paths(node: object, here: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += [(*here, k), *_paths(v, (*here, k))]
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += [(*here, i), *_paths(v, (*here, i))]
    return out


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_keys, _data, min_size=1, max_size=5))
def test_round_trip_keeps_data_and_positions_every_node(data: dict[str, object]) -> None:
    buffer = io.StringIO()
    YAML(typ="rt").dump(data, buffer)
    doc = parse_yaml_text(buffer.getvalue(), "p.yaml")
    assert doc.data == data
    lines = buffer.getvalue().splitlines()
    for path in _paths(data):
        line, col = doc.positions[path]
        assert 1 <= line <= len(lines)
        assert 1 <= col <= len(lines[line - 1]) + 1
