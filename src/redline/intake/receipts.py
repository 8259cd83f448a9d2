"""Receipt codes: 100 random bits shown once, read aloud in groups, stored only as argon2.

The first group (20 bits) is stored in clear as a lookup key so that checking a code is one
argon2 verification, not a scan of every report; the other 80 bits stay secret. With that
much entropy the hash needs no heavy stretching, so light argon2 parameters keep the portal
fast under load while a database copy still cannot yield a code.
"""

from __future__ import annotations

import secrets
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Crockford's base32: no I, L, O, U, so codes survive being read aloud and typed
ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS: Final = 5
GROUP_SIZE: Final = 4
BITS: Final = GROUPS * GROUP_SIZE * 5
_CONFUSABLE: Final = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_HASHER: Final = PasswordHasher(time_cost=1, memory_cost=2 * 1024, parallelism=1)


def new_code() -> str:
    """A fresh receipt code, e.g. 7KQ4-M2XD-9T3B-HC8F-Z1PW."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
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
    """The argon2id hash stored for a code."""
    return _HASHER.hash(code)


def matches(stored_hash: str, code: str) -> bool:
    """True when `code` is the one `stored_hash` was made from."""
    try:
        return _HASHER.verify(stored_hash, code)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
