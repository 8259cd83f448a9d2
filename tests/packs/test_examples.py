"""Every rule's YAML examples, run through the real engine with the real registry.

A new rule is tested by adding examples to its pack: no new Python. Political rules run
with the placeholder terms of packs/overrides/examples.yaml (their real lists ship empty).
"""

from __future__ import annotations

import pytest

from redline.rules.build import EXAMPLE_OVERRIDES, Built, build_plan
from redline.rules.examples import example_cases, missing_examples
from redline.rules.load import load_packs, shipped_pack_paths
from redline.scan.engine import scan_batch


def _cases() -> list[tuple[str, str, str, bool]]:
    # Collected from the YAML alone (no registry), so that a broken detector still yields
    # one failing test per example rather than one collection error.
    from redline.rules.load import Registry

    result = load_packs(shipped_pack_paths(), EXAMPLE_OVERRIDES, registry=Registry(text={}, record={}))
    return example_cases(result.packs)


CASES = _cases()


def _case_id(case: tuple[str, str, str, bool]) -> str:
    _, rid, text, expect = case
    return f"{rid}-{'match' if expect else 'no_match'}-{text[:12]}"


@pytest.fixture(scope="module")
def built() -> Built:
    return build_plan("all", with_example_terms=True)


@pytest.fixture(scope="module")
def findings_by_text(built: Built) -> dict[str, set[str]]:
    """rule ids found in each example text, from ONE batch through the engine."""
    texts = sorted({text for _, _, text, _ in CASES})
    out: dict[str, set[str]] = {t: set() for t in texts}
    for f in scan_batch(built.plan, texts, ids=texts):
        out[f.subject_id].add(f.rule_id)
    return out


def test_there_are_examples_for_every_live_text_rule(built: Built) -> None:
    assert missing_examples(built.packset, built.plan) == []
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_example(case: tuple[str, str, str, bool], findings_by_text: dict[str, set[str]]) -> None:
    _, rule_id, text, expect_match = case
    assert (rule_id in findings_by_text[text]) is expect_match, findings_by_text[text]
