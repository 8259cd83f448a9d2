"""Proof of work, and the portal's translation catalogues being compiled from their sources."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from redline.web.portal.guard import Guard, Limits

LOCALES = Path(__file__).resolve().parents[3] / "src" / "redline" / "web" / "portal" / "locales"


def _solve(challenge: str, bits: int) -> str:
    counter = 0
    while int.from_bytes(hashlib.sha256(f"{challenge}:{counter}".encode()).digest(), "big") >> (256 - bits):
        counter += 1
    return str(counter)


def test_proof_of_work() -> None:
    guard = Guard(Limits(), pow_bits=10)
    challenge = guard.challenge()
    assert guard.check_work(challenge, _solve(challenge, 10))
    assert not guard.check_work(challenge, "not-a-solution")
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
