"""Every analyzer's reason renders in Chinese and English from its facts; a missing fact is a clear error."""

from __future__ import annotations

import re

import pytest

from redline.reasons import ReasonError, render
from redline.reasons.render import TEMPLATES
from redline.registry import RECORD_ANALYZERS

CJK = re.compile(r"[\u4e00-\u9fff]")
KEYS = sorted(TEMPLATES)
FIELDS = [(key, field) for key in KEYS for field in TEMPLATES[key].example]
ANALYZERS = sorted(k for k in RECORD_ANALYZERS if k.startswith(("payments.", "groups.")))


@pytest.mark.parametrize("key", KEYS)
def test_every_key_renders_its_facts_in_both_languages(key: str) -> None:
    facts = TEMPLATES[key].example
    zh, en = render(key, facts)
    assert CJK.search(zh)
    assert zh.endswith(("。", "）"))
    # the English sentence is English: its words outside the quoted names are Latin
    assert re.search(r"\b(the|from|in|of|yuan|group|received|posted|paid|times)\b", CJK.sub("", en))
    for text in (zh, en):
        # no placeholder, missing value or raw list left in a sentence
        assert not re.search(r"[{}\[\]]|None", text)


@pytest.mark.parametrize("key", KEYS)
def test_the_sentences_say_the_facts(key: str) -> None:
    """A fact that changes changes the sentence: the template reads the facts, it is not canned text."""
    facts = dict(TEMPLATES[key].example)
    zh, en = render(key, facts)
    said = [name for name, value in facts.items() if isinstance(value, str | int) and not isinstance(value, bool)
            and str(value) and str(value) in zh and str(value) in en]
    assert said, f"{key}: no fact is quoted in both sentences"
    name = said[0]
    facts[name] = facts[name] + "X" if isinstance(facts[name], str) else facts[name] + 7
    zh2, en2 = render(key, facts)
    assert zh2 != zh
    assert en2 != en


@pytest.mark.parametrize(("key", "field"), FIELDS, ids=[f"{k}:{f}" for k, f in FIELDS])
def test_a_missing_fact_names_the_key_and_the_field(key: str, field: str) -> None:
    facts = {k: v for k, v in TEMPLATES[key].example.items() if k != field}
    with pytest.raises(ReasonError, match=rf"{re.escape(repr(key))} needs the fact {re.escape(repr(field))}") as err:
        render(key, facts)
    assert (err.value.key, err.value.field) == (key, field)


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(ReasonError, match=re.escape("no reason template has the key 'payments.no_such'")):
        render("payments.no_such", {})


@pytest.mark.parametrize("analyzer", ANALYZERS)
def test_every_payment_and_group_analyzer_has_its_reason(analyzer: str) -> None:
    assert analyzer in TEMPLATES
