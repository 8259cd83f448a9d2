"""The one error tree of Redline, and where an error came from.

    RedlineError                 every error we raise on purpose; carries a SourceLocation
    ├── PackError                rule packs, lexicons, organisation overrides
    ├── InputError               a bundle or source file that cannot be read at all
    │   ├── RecordError          one bad row: collected into quarantine, never raised past a loader
    │   ├── TooLarge             an upload or archive member over a limit (HTTP 413)
    │   └── UnsupportedMedia     a file of a kind this place does not take (HTTP 415)
    ├── ConfigError              settings, CLI flags, database URL
    ├── NotFound                 the web layer maps it to 404
    ├── AccessDenied             403, and written to the audit log
    └── ServerFault              our side failed (database down, disk full): 5xx, never "your fault"
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a problem sits: file, 1-based line and column, dotted field path."""

    path: Path | str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        if self.field:
            text += f": {self.field}"
        return text


class RedlineError(Exception):
    """Base of every error Redline raises on purpose."""

    def __init__(self, message: str, location: SourceLocation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class PackError(RedlineError):
    """A rule pack, lexicon or overrides file is wrong (schema or meaning)."""


class InputReason(StrEnum):
    """Why an input was refused, for callers that decide by kind (never by message text)."""

    UNREADABLE = "unreadable"  # damaged, wrong type for what was asked, not JSON…
    NOT_RECOGNISED = "not_recognised"  # no importer recognises the content (a folder walk skips it)
    TOO_LARGE = "too_large"
    NOT_FOUND = "not_found"


class InputError(RedlineError):
    """A bundle or source file cannot be read at all; `reason` says what kind of refusal it is."""

    def __init__(self, message: str, location: SourceLocation | None = None,
                 reason: InputReason = InputReason.UNREADABLE) -> None:
        super().__init__(message, location)
        self.reason = reason


class RecordError(InputError):
    """One bad row; loaders collect these into the quarantine."""


class TooLarge(InputError):
    """An upload, archive member or archive total over its limit."""


class UnsupportedMedia(InputError):
    """A file of a type this place does not accept or cannot read as what it was asked for."""


class ConfigError(RedlineError):
    """Bad settings, CLI flags or database URL."""


class NotFound(RedlineError):
    """A requested object does not exist."""


class AccessDenied(RedlineError):
    """The caller's role may not do this."""


class ServerFault(RedlineError):
    """The server could not do its part (database unreachable, disk full): not the caller's fault.

    `unavailable` marks faults that may pass (a database restarting): HTTP 503 instead of 500.
    """

    def __init__(self, message: str, location: SourceLocation | None = None, *, unavailable: bool = False) -> None:
        super().__init__(message, location)
        self.unavailable = unavailable
