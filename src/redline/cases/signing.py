"""The instance's Ed25519 signing key: signs evidence package manifests.

The key is a file (Settings.signing_key_path, REDLINE_SIGNING_KEY), not a database row: a
copy of the database alone must not be able to sign a package. It is created on first use
with mode 0600 (O_EXCL, so two processes cannot each write a different key), and holds the
32-byte seed in hex. The public key travels inside every manifest; a recipient who wants to
know *which* instance signed pins it with `redline evidence verify --public-key`.
"""

from __future__ import annotations

import os
from pathlib import Path

from nacl.encoding import HexEncoder
from nacl.signing import SigningKey, VerifyKey

from redline.errors import ConfigError


def load_or_create(path: Path) -> SigningKey:
    """The key in `path`, made (0600) when the file does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = SigningKey.generate()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs below
        else:
            with os.fdopen(fd, "w") as out:
                out.write(key.encode(HexEncoder).decode() + "\n")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"the signing key {path} is readable by others (mode {mode:o}); chmod 600 it")
    try:
        return SigningKey(path.read_text().strip().encode(), encoder=HexEncoder)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"the signing key {path} is not a hex Ed25519 seed: {exc}") from exc


def public_hex(key: SigningKey) -> str:
    """The verify key in hex, as written into manifests."""
    return key.verify_key.encode(HexEncoder).decode()


def verify_key(hex_key: str) -> VerifyKey:
    """A verify key from hex (a manifest's or one given on the command line)."""
    try:
        return VerifyKey(hex_key.strip().encode(), encoder=HexEncoder)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"not an Ed25519 public key in hex: {exc}") from exc
