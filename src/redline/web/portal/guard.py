"""Abuse resistance without CAPTCHAs that need the internet: rate limits, a honeypot field,
optional proof of work, and throttled receipt-code guessing.

Clients are told apart by a keyed hash of their address under a key that lives only in this
process's memory and is never written anywhere, so limits work while no address is stored.

The counters live in each process's memory too. Keeping them in the database would write
a per-client token with the time of every submission and guess to disk, the trail the
portal is built not to leave; so with several worker processes (`redline portal --workers
N`) each worker counts on its own and enforces `Limits.per_worker(N)`: the configured rate
divided by N, rounded up. The kernel spreads connections over the workers, so a client that
opens new connections meets about the configured rate in total (never more than N - 1 over
it); one that keeps a single connection open stays on one worker and meets 1/N of it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass, fields, replace
from typing import Final

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

POW_TTL_SECONDS: Final = 600


@dataclass(frozen=True, slots=True)
class Limits:
    """Rates as the `limits` library writes them ("20/minute"); tune per deployment."""

    submit_per_client: str = "20/minute"
    submit_total: str = "6000/minute"
    guesses_per_client: str = "10/hour"
    guesses_per_receipt: str = "5/hour"
    guesses_total: str = "300/minute"

    def per_worker(self, workers: int) -> Limits:
        """Each rate divided among `workers` processes, rounded up (at least 1)."""
        if workers <= 1:
            return self
        shares = {}
        for item in fields(self):
            rate = parse(getattr(self, item.name))
            shares[item.name] = f"{math.ceil(rate.amount / workers)} per {rate.multiples} {rate.GRANULARITY.name}"
        return replace(self, **shares)


class Guard:
    """In-memory limiters and proof-of-work challenges for one portal process.

    `pow_key` lets several worker processes accept each other's challenges; without it the
    process makes its own. Either way it is never written anywhere.
    """

    def __init__(self, limits: Limits, pow_bits: int = 0, pow_key: bytes | None = None) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items: dict[str, RateLimitItem] = {item.name: parse(getattr(limits, item.name)) for item in fields(limits)}
        self._client_key = secrets.token_bytes(32)  # memory only: forgotten when the process ends
        self._pow_key = pow_key or secrets.token_bytes(32)
        self.pow_bits = pow_bits

    def client(self, address: str | None) -> str:
        """An opaque, per-process token for a client address (the address itself is dropped)."""
        return hmac.new(self._client_key, (address or "").encode(), hashlib.sha256).hexdigest()[:16]

    def allow_submit(self, client: str) -> bool:
        """One submission by this client, if within the limits."""
        return self._hit("submit_total", "all") and self._hit("submit_per_client", client)

    def guessing_blocked(self, client: str, lookup: str) -> bool:
        """True when this client or this receipt has failed too often recently."""
        return not all(
            self._limiter.test(self._items[name], name, key)
            for name, key in (("guesses_per_client", client), ("guesses_per_receipt", lookup), ("guesses_total", "all"))
        )

    def failed_guess(self, client: str, lookup: str) -> None:
        """Count a wrong receipt code against the client, the receipt's first group and everyone."""
        for name, key in (("guesses_per_client", client), ("guesses_per_receipt", lookup), ("guesses_total", "all")):
            self._limiter.hit(self._items[name], name, key)

    def _hit(self, name: str, key: str) -> bool:
        return self._limiter.hit(self._items[name], name, key)

    def challenge(self) -> str:
        """A signed proof-of-work challenge: '<expiry>.<nonce>.<signature>'."""
        body = f"{int(time.time()) + POW_TTL_SECONDS}.{secrets.token_hex(8)}"
        return f"{body}.{self._sign(body)}"

    def check_work(self, challenge: str, counter: str) -> bool:
        """True when pow is off, or sha256(challenge:counter) starts with pow_bits zero bits."""
        if self.pow_bits <= 0:
            return True
        try:
            expiry, nonce, signature = challenge.split(".")
        except ValueError:
            return False
        if not hmac.compare_digest(signature, self._sign(f"{expiry}.{nonce}")) or int(expiry) < time.time():
            return False
        digest = int.from_bytes(hashlib.sha256(f"{challenge}:{counter}".encode()).digest(), "big")
        return digest >> (256 - self.pow_bits) == 0

    def _sign(self, body: str) -> str:
        return hmac.new(self._pow_key, body.encode(), hashlib.sha256).hexdigest()[:32]
