"""Receipt codes: 100 random bits shown once, read aloud in groups, stored only as argon2.

The first group (20 bits) is stored in clear as a lookup key so that checking a code is one
argon2 verification, not a scan of every report; the other 80 bits stay secret. With that
much entropy the hash needs no heavy stretching, so light argon2 parameters keep the portal
fast under load while a database copy still cannot yield a code. The hash runs at
`sealing.RECEIPT_KDF`'s cost; its encoded form carries its own parameters, so hashes made
under older values still verify.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Final

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from nacl.pwhash import argon2i

from redline.intake import sealing

# Crockford's base32: no I, L, O, U, so codes survive being read aloud and typed
ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # 32 letters: new_code takes 5 random bits each
GROUPS: Final = 5
GROUP_SIZE: Final = 4
BITS: Final = GROUPS * GROUP_SIZE * 5
_CONFUSABLE: Final = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_VERIFIER: Final = PasswordHasher()  # verify() reads the parameters from the stored hash


@lru_cache(maxsize=4)
def _hasher(params: sealing.KdfParams) -> PasswordHasher:
    kind = Type.I if params.alg == argon2i.ALG else Type.ID
    return PasswordHasher(time_cost=params.ops, memory_cost=params.mem // 1024, parallelism=1, type=kind)


def new_code() -> str:
    """A fresh receipt code, e.g. 7KQ4-M2XD-9T3B-HC8F-Z1PW.

    One read of the system's random source, five bits per character (the alphabet has exactly
    32 letters, so every character is uniform); `secrets.choice` per character made 20 reads.
    """
    bits = int.from_bytes(secrets.token_bytes((BITS + 7) // 8), "big")
    chars = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(GROUPS * GROUP_SIZE))
    return "-".join(chars[i:i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def normalise(code: str) -> str | None:
    """The canonical form of a typed code (case, spaces, dashes, O/0 and I/1 forgiven), or None."""
    chars = "".join(c for c in code.upper().translate(_CONFUSABLE) if c.isalnum())
    if len(chars) != GROUPS * GROUP_SIZE or any(c not in ALPHABET for c in chars):
        return None
    return "-".join(chars[i:i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def lookup_of(code: str) -> str:
    """The non-secret first group used to find the report."""
    return code[:GROUP_SIZE]


def hash_code(code: str) -> str:
    """The argon2id hash stored for a code, at the current `RECEIPT_KDF` cost."""
    return _hasher(sealing.RECEIPT_KDF).hash(code)


def matches(stored_hash: str, code: str) -> bool:
    """True when `code` is the one `stored_hash` was made from."""
    try:
        return _VERIFIER.verify(stored_hash, code)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
