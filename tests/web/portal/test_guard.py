"""Proof of work, and the portal's translation catalogues being compiled from their sources."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from limits import parse

from redline.web.portal.guard import Guard, Limits

LOCALES = Path(__file__).resolve().parents[3] / "src" / "redline" / "web" / "portal" / "locales"


def _solve(challenge: str, bits: int) -> str:
    counter = 0
    while int.from_bytes(hashlib.sha256(f"{challenge}:{counter}".encode()).digest(), "big") >> (256 - bits):
        counter += 1
    return str(counter)


def _solves(challenge: str, counter: str, bits: int) -> bool:
    return int.from_bytes(hashlib.sha256(f"{challenge}:{counter}".encode()).digest(), "big") >> (256 - bits) == 0


def test_proof_of_work() -> None:
    guard = Guard(Limits(), pow_bits=10)
    challenge = guard.challenge()
    assert guard.check_work(challenge, _solve(challenge, 10))
    # a counter that is no solution: a random one would solve 10 bits once in 1,024 runs
    wrong = next(str(c) for c in range(10_000) if not _solves(challenge, str(c), 10))
    assert not guard.check_work(challenge, wrong)
    forged = "9999999999.deadbeef." + "0" * 32
    assert not guard.check_work(forged, _solve(forged, 10))
    assert Guard(Limits(), pow_bits=0).check_work("", "")


def test_client_tokens_do_not_contain_the_address() -> None:
    guard = Guard(Limits())
    token = guard.client("203.0.113.9")
    assert "203" not in token
    assert token == guard.client("203.0.113.9") != guard.client("203.0.113.10")
    assert Guard(Limits()).client("203.0.113.9") != token  # a new process forgets the key


def test_compiled_catalogues_match_their_sources() -> None:
    for po_path in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po, (po_path.with_suffix(".mo")).open("rb") as mo:
            source, compiled = read_po(po), read_mo(io.BytesIO(mo.read()))
        assert {m.id: m.string for m in source if m.id} == {m.id: m.string for m in compiled if m.id}, po_path


@pytest.mark.parametrize(("limits", "workers", "expected"), [
    (Limits(), 1, Limits()),
    (Limits(submit_per_client="20/minute", guesses_per_receipt="5/hour"), 2,
     {"submit_per_client": (10, 60), "guesses_per_receipt": (3, 3600), "submit_total": (3000, 60)}),
    (Limits(submit_per_client="7/2 minutes", guesses_total="1/second"), 3,
     {"submit_per_client": (3, 120), "guesses_total": (1, 1)}),
], ids=["one-worker", "two-workers", "rounded-up"])
def test_limits_are_shared_out_among_workers(limits: Limits, workers: int, expected: object) -> None:
    shared = limits.per_worker(workers)
    if isinstance(expected, Limits):
        assert shared == expected
        return
    assert isinstance(expected, dict)
    for name, (amount, seconds) in expected.items():
        rate = parse(getattr(shared, name))
        assert (rate.amount, rate.get_expiry()) == (amount, seconds), name


def test_workers_sharing_a_pow_key_accept_each_others_challenges() -> None:
    key = b"k" * 32
    first, second = Guard(Limits(), pow_bits=8, pow_key=key), Guard(Limits(), pow_bits=8, pow_key=key)
    challenge = first.challenge()
    assert second.check_work(challenge, _solve(challenge, 8))
    stranger = Guard(Limits(), pow_bits=8)  # a process with its own key refuses it
    assert not stranger.check_work(challenge, _solve(challenge, 8))
