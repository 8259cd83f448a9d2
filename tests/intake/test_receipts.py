"""Receipt codes: entropy, reading aloud, forgiving input, argon2 verification."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, strategies as st

from redline.intake import receipts


def test_codes_carry_at_least_80_secret_bits_beyond_the_lookup() -> None:
    secret_chars = receipts.GROUPS * receipts.GROUP_SIZE - receipts.GROUP_SIZE
    assert secret_chars * math.log2(len(receipts.ALPHABET)) >= 80


def test_code_shape_and_uniqueness() -> None:
    codes = {receipts.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4] * 5
        assert set(code.replace("-", "")) <= set(receipts.ALPHABET)


@pytest.mark.parametrize(("typed", "expected"), [
    ("abcd efgh jkmn pqrs tvwx", "ABCD-EFGH-JKMN-PQRS-TVWX"),
    ("O0IL-1111-2222-3333-4444", "0011-1111-2222-3333-4444"),
    ("ABCD-EFGH", None),
    ("ABCD-EFGH-JKMN-PQRS-TVW!", None),
])
def test_normalise(typed: str, expected: str | None) -> None:
    assert receipts.normalise(typed) == expected


def test_hash_verifies_only_the_right_code() -> None:
    code = receipts.new_code()
    stored = receipts.hash_code(code)
    assert code not in stored
    assert receipts.matches(stored, code)
    assert not receipts.matches(stored, receipts.new_code())
    assert not receipts.matches("not a hash", code)


@given(st.text(max_size=40))
def test_normalise_never_raises(text: str) -> None:
    result = receipts.normalise(text)
    assert result is None or receipts.normalise(result) == result


def test_every_position_uses_the_whole_alphabet_evenly() -> None:
    """Chi-square per position over 32,000 codes (31 degrees of freedom: 80 is p < 1e-6), and pairs."""
    codes = [receipts.new_code().replace("-", "") for _ in range(32_000)]
    expected = len(codes) / len(receipts.ALPHABET)
    for position in range(receipts.GROUPS * receipts.GROUP_SIZE):
        counts = Counter(code[position] for code in codes)
        assert set(counts) == set(receipts.ALPHABET), position
        chi2 = sum((counts[c] - expected) ** 2 / expected for c in receipts.ALPHABET)
        assert chi2 < 80, (position, chi2)
    # neighbours independent: all 1,024 pairs occur (each ~31 times; shared bits would halve them)
    for position in range(receipts.GROUPS * receipts.GROUP_SIZE - 1):
        assert len({code[position:position + 2] for code in codes}) == 32 * 32, position
