"""Sessions, CSRF tokens and login throttling for a server-rendered app.

A session is a signed cookie (itsdangerous): HttpOnly, SameSite=Strict, holding the username,
role and the session's CSRF token. Forms carry the token in `csrf_token`; JSON clients send
it in the `X-CSRF-Token` header. Login attempts are throttled per username and per address
with `limits` (moving window), so guessing passwords is slow even before argon2's cost.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Final

from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

SESSION_MAX_AGE: Final = 8 * 3600  # a working day


@dataclass(frozen=True, slots=True)
class SessionData:
    """What the session cookie holds."""

    username: str
    role: str
    csrf: str


class SessionCodec:
    """Signs and reads session cookies and the pre-login CSRF nonce."""

    def __init__(self, key: bytes, salt: str) -> None:
        self._signer = URLSafeTimedSerializer(key, salt=salt)
        self._login_signer = URLSafeTimedSerializer(key, salt=salt + ".login")

    def dump(self, username: str, role: str) -> tuple[str, SessionData]:
        data = SessionData(username, role, secrets.token_urlsafe(24))
        return self._signer.dumps({"u": data.username, "r": data.role, "c": data.csrf}), data

    def load(self, cookie: str | None) -> SessionData | None:
        if not cookie:
            return None
        try:
            raw: Any = self._signer.loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in "urc"):
            return None
        return SessionData(raw["u"], raw["r"], raw["c"])

    def login_token(self, nonce: str) -> str:
        """The login form's CSRF token, bound to the browser's pre-login nonce cookie."""
        return self._login_signer.dumps(nonce)

    def check_login_token(self, token: str | None, nonce: str | None) -> bool:
        if not token or not nonce:
            return False
        try:
            value = self._login_signer.loads(token, max_age=3600)
        except BadSignature:
            return False
        return isinstance(value, str) and hmac.compare_digest(value, nonce)


def same_token(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


class LoginThrottle:
    """At most 5 attempts a minute per username and 20 per client address."""

    def __init__(self, per_user: int = 5, per_address: int = 20) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._user = RateLimitItemPerMinute(per_user)
        self._address = RateLimitItemPerMinute(per_address)

    def allow(self, username: str, address: str) -> bool:
        """Count one attempt; False when either limit is exhausted."""
        ok_user = self._limiter.hit(self._user, "user", username.lower())
        ok_address = self._limiter.hit(self._address, "addr", address)
        return ok_user and ok_address
