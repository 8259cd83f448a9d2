"""CSRF tokens and login throttling for a server-rendered app.

Sessions live on the server (`review.sessions`): the cookie (HttpOnly, SameSite=Strict) holds
a random token, the session row its CSRF token. Forms carry the CSRF token in `csrf_token`;
JSON clients send it in the `X-CSRF-Token` header. The login form's own CSRF token is signed
here (itsdangerous) and bound to a pre-login nonce cookie. Login attempts are throttled per username and per address
with `limits` (moving window), so guessing passwords is slow even before argon2's cost.
"""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class SessionCodec:
    """Signs and checks the login form's CSRF token."""

    def __init__(self, key: bytes, salt: str) -> None:
        self._login_signer = URLSafeTimedSerializer(key, salt=salt + ".login")

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
    """At most 5 failed attempts a minute per username and 20 per client address; a successful
    login costs nothing (a reviewer logging in again from a new tab is never locked out)."""

    def __init__(self, per_user: int = 5, per_address: int = 20) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._user = RateLimitItemPerMinute(per_user)
        self._address = RateLimitItemPerMinute(per_address)

    def allow(self, username: str, address: str) -> bool:
        """False when either limit of failures is exhausted (counts nothing)."""
        return (self._limiter.test(self._user, "user", username.lower())
                and self._limiter.test(self._address, "addr", address))

    def failed(self, username: str, address: str) -> None:
        """Count one failed attempt against the username and the address."""
        self._limiter.hit(self._user, "user", username.lower())
        self._limiter.hit(self._address, "addr", address)
