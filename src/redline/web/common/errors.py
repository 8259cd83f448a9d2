"""RedlineError → HTTP: one mapping, used by every app (problem JSON for the API, a page otherwise)."""

from __future__ import annotations

from typing import Final

from redline.errors import (
    AccessDenied,
    NotFound,
    RedlineError,
    ServerFault,
    TooLarge,
    UnsupportedMedia,
)

STATUS: Final[dict[type[RedlineError], int]] = {
    NotFound: 404, AccessDenied: 403, TooLarge: 413, UnsupportedMedia: 415, ServerFault: 500,
}


def status_of(exc: RedlineError) -> int:
    """The status of an error by its kind: 5xx for ServerFault, 400 for every other error the user caused."""
    if isinstance(exc, ServerFault) and exc.unavailable:
        return 503
    for kind, code in STATUS.items():
        if isinstance(exc, kind):
            return code
    return 400


def problem(exc: RedlineError) -> dict[str, object]:
    """An RFC 9457 problem body."""
    code = status_of(exc)
    return {"type": "about:blank", "title": type(exc).__name__, "status": code, "detail": str(exc)}
