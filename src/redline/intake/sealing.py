"""Encryption at rest with libsodium (PyNaCl): report keys, sealed boxes, passphrase-derived keys.

Each report gets a random key; its texts and files are SecretBox ciphertexts under it. The
key is sealed (SealedBox) to every intake officer's public key, and encrypted under a key
derived with argon2id from the reporter's receipt code, so both sides can read the thread
and nobody else can. An officer's private key is encrypted under argon2id(passphrase).

The receipt KDF's parameters (`KdfParams`: algorithm, ops, memory) are stored with each
report and used when it is opened, so `RECEIPT_KDF` can be raised without locking out
reporters whose reports were sealed under the old values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import nacl.utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.pwhash import argon2i, argon2id
from nacl.secret import SecretBox

from redline.errors import AccessDenied

KEY_SIZE: Final = SecretBox.KEY_SIZE
SALT_SIZE: Final = argon2id.SALTBYTES
# libsodium's algorithm ids (crypto_pwhash_ALG_*), as stored with each report
_KDFS: Final = {argon2id.ALG: argon2id.kdf, argon2i.ALG: argon2i.kdf}


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Which password hash derives a key, and at what cost: what a report stores to be opened again."""

    alg: int  # libsodium's crypto_pwhash_ALG_* id (2: argon2id v1.3)
    ops: int  # opslimit (passes)
    mem: int  # memlimit in bytes


# receipts carry 80 secret bits: light parameters suffice; passphrases are human-chosen.
# Raising RECEIPT_KDF is safe: reports keep the parameters they were sealed under.
RECEIPT_KDF = KdfParams(argon2id.ALG, argon2id.OPSLIMIT_MIN, 2 * 1024 * 1024)
PASSPHRASE_KDF: Final = (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE)


def new_key() -> bytes:
    """A fresh random symmetric key."""
    return nacl.utils.random(KEY_SIZE)


def new_salt() -> bytes:
    """A fresh random salt for argon2id."""
    return nacl.utils.random(SALT_SIZE)


def derive(secret: str, salt: bytes, *, cost: tuple[int, int] | KdfParams) -> bytes:
    """A symmetric key from a secret string: argon2id at (ops, mem), or as `KdfParams` say."""
    params = cost if isinstance(cost, KdfParams) else KdfParams(argon2id.ALG, *cost)
    kdf = _KDFS.get(params.alg)
    if kdf is None:
        raise AccessDenied(f"unknown key derivation algorithm {params.alg}")
    return kdf(KEY_SIZE, secret.encode("utf-8"), salt, opslimit=params.ops, memlimit=params.mem)


def lock(key: bytes, data: bytes) -> bytes:
    """SecretBox ciphertext (nonce included)."""
    return bytes(SecretBox(key).encrypt(data))


def unlock(key: bytes, data: bytes) -> bytes:
    """Plaintext of `lock`; a wrong key or altered data raises AccessDenied."""
    try:
        return SecretBox(key).decrypt(data)
    except CryptoError as exc:
        raise AccessDenied("cannot decrypt: wrong key or altered data") from exc


def seal(public_key: bytes, data: bytes) -> bytes:
    """Anonymous sealed box to a public key."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(data))


def open_sealed(private_key: PrivateKey, data: bytes) -> bytes:
    """Open a sealed box with the matching private key."""
    try:
        return SealedBox(private_key).decrypt(data)
    except CryptoError as exc:
        raise AccessDenied("this report was not sealed to this officer") from exc


@dataclass(frozen=True, slots=True)
class OfficerKeys:
    """What is stored for an officer: public key, private key under the passphrase, salt."""

    public_key: bytes
    sealed_private_key: bytes
    salt: bytes


def new_officer_keys(passphrase: str) -> OfficerKeys:
    """A key pair whose private half only the passphrase opens."""
    private = PrivateKey.generate()
    salt = new_salt()
    wrapped = lock(derive(passphrase, salt, cost=PASSPHRASE_KDF), bytes(private))
    return OfficerKeys(bytes(private.public_key), wrapped, salt)


def officer_private_key(keys: OfficerKeys, passphrase: str) -> PrivateKey:
    """The officer's private key; a wrong passphrase raises AccessDenied."""
    try:
        raw = unlock(derive(passphrase, keys.salt, cost=PASSPHRASE_KDF), keys.sealed_private_key)
    except AccessDenied as exc:
        raise AccessDenied("wrong passphrase") from exc
    return PrivateKey(raw)
