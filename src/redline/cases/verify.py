"""Checking an evidence package: the signature over the manifest, then every file's SHA-256.

The first problem found is named, in this order: the package is not a zip; the manifest or
its signature is missing; the signature does not match the manifest (an edited manifest line
shows up here); a listed file is missing, unreadable or has another digest; a file is in the
package but not in the manifest. A pinned public key (`--public-key`) also checks *who* signed.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from nacl.exceptions import BadSignatureError

from redline.cases.package import FORMAT, MANIFEST, SIGNATURE
from redline.cases.signing import verify_key
from redline.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome: `file` names the first file that does not match ('' when all do)."""

    ok: bool
    checked: int
    file: str = ""
    problem: str = ""
    case: int | None = None
    redacted: bool = False


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a changed byte inside compressed data
        raise _UnreadableError(name, str(exc)) from exc


class _UnreadableError(Exception):
    def __init__(self, name: str, why: str) -> None:
        super().__init__(name)
        self.name, self.why = name, why


def verify_package(path: Path, public_key: str | None = None) -> Checked:
    """Check one package; never raises for a bad package, only for a bad `public_key`."""
    pinned = verify_key(public_key) if public_key else None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return Checked(False, 0, path.name, f"not a readable zip: {exc}")
    with archive:
        try:
            return _check(archive, pinned_hex=public_key.strip().lower() if public_key and pinned else None)
        except _UnreadableError as bad:
            return Checked(False, 0, bad.name, f"cannot be read (damaged): {bad.why}")


def _check(archive: zipfile.ZipFile, pinned_hex: str | None) -> Checked:
    manifest_bytes = _read(archive, MANIFEST)
    if manifest_bytes is None:
        return Checked(False, 0, MANIFEST, "missing")
    signature = _read(archive, SIGNATURE)
    if signature is None:
        return Checked(False, 0, SIGNATURE, "missing")
    try:
        manifest = json.loads(manifest_bytes)
        key_hex = str(manifest["signing"]["public_key"])
        listed = [(str(f["path"]), str(f["sha256"])) for f in manifest["files"]]
    except (ValueError, KeyError, TypeError) as exc:
        return Checked(False, 0, MANIFEST, f"not a manifest: {exc}")
    if manifest.get("format") != FORMAT:
        return Checked(False, 0, MANIFEST, f"unknown format {manifest.get('format')!r}")
    if pinned_hex is not None and key_hex.lower() != pinned_hex:
        return Checked(False, 0, MANIFEST, "signed by another key than the one given")
    try:
        verify_key(key_hex).verify(manifest_bytes, bytes.fromhex(signature.decode().strip()))
    except (BadSignatureError, ValueError, ConfigError):
        return Checked(False, 0, MANIFEST, "the signature does not match the manifest (edited or re-signed)")
    case, redacted = manifest.get("case"), bool(manifest.get("redacted_third_parties"))
    for checked, (name, digest) in enumerate(listed):
        data = _read(archive, name)
        if data is None:
            return Checked(False, checked, name, "listed in the manifest but missing", case, redacted)
        if hashlib.sha256(data).hexdigest() != digest:
            return Checked(False, checked, name, "SHA-256 differs from the manifest", case, redacted)
    known = {name for name, _ in listed} | {MANIFEST, SIGNATURE}
    for name in archive.namelist():
        if name not in known:
            return Checked(False, len(listed), name, "in the package but not in the manifest", case, redacted)
    return Checked(True, len(listed), case=case, redacted=redacted)
