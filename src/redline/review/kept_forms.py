"""Work never lost: a form posted after the session had ended is kept, for minutes, for the
person whose session it was, and shown to them filled in once they have logged in again.

What is kept is sealed (libsodium SecretBox) under a key derived from a random token that only
the browser holds, in a cookie; the row is found by another hash of the token. Passwords,
passphrases and CSRF tokens are never kept: the form comes back with those fields empty and a
fresh CSRF token, so sending it again is a new, deliberate request by the logged-in person.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from redline.store.tables.kept_forms import KeptForm

KEPT_FOR: Final = timedelta(minutes=20)
MAX_BYTES: Final = 64 * 1024  # a note or a reason, not an upload
# names of fields never written anywhere: they are typed again
SECRET_FIELD: Final = re.compile(r"pass|csrf|token|secret", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Kept:
    """A kept form: where it was posted, its fields in order, the secret fields left out."""

    action: str
    fields: list[tuple[str, str]]
    secret_fields: list[str]


def _hash(token: str, purpose: bytes) -> bytes:
    return hashlib.blake2b(token.encode(), person=purpose, digest_size=32).digest()


def _row_id(token: str) -> str:
    return _hash(token, b"redline-kept-id").hex()


def _box(token: str) -> SecretBox:
    return SecretBox(_hash(token, b"redline-kept-key"))


def _purge(session: Session, now: datetime) -> None:
    session.execute(delete(KeptForm).where(KeptForm.expires_at < now))


def keep(engine: Engine, username: str, action: str, pairs: Sequence[tuple[str, str]]) -> str | None:
    """Keep a form's non-secret fields for `username`; the token for the browser's cookie, or
    None when nothing was typed worth keeping (a logout button, only secrets) or it is too big."""
    fields = [(name, value) for name, value in pairs if not SECRET_FIELD.search(name)]
    secret_fields = sorted({name for name, _ in pairs if SECRET_FIELD.search(name) and "csrf" not in name.lower()})
    if not any(value.strip() for _, value in fields):
        return None
    plain = json.dumps({"fields": fields, "secret_fields": secret_fields}, ensure_ascii=False).encode()
    if len(plain) > MAX_BYTES:
        return None
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        _purge(session, now)
        session.add(KeptForm(id=_row_id(token), username=username, action=action[:500],
                             sealed=bytes(_box(token).encrypt(plain)), expires_at=now + KEPT_FOR))
    return token


def take(engine: Engine, token: str | None, username: str) -> Kept | None:
    """The form kept under `token` if it is `username`'s and still fresh. Someone else logging
    in on the same browser gets nothing, and the form is dropped."""
    if not token or len(token) > 200:
        return None
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        _purge(session, now)
        row = session.get(KeptForm, _row_id(token))
        if row is None:
            return None
        if row.username != username:
            session.delete(row)
            return None
        try:
            body = json.loads(_box(token).decrypt(row.sealed))
        except (CryptoError, ValueError):
            session.delete(row)
            return None
        return Kept(row.action, [(str(n), str(v)) for n, v in body["fields"]], list(body["secret_fields"]))


def discard(engine: Engine, token: str | None) -> None:
    """Forget a kept form (sent again, or thrown away)."""
    if token and len(token) <= 200:
        with Session(engine) as session, session.begin():
            session.execute(delete(KeptForm).where(KeptForm.id == _row_id(token)))
