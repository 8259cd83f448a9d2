"""The canonical bundle: the interchange format every importer writes and every analysis reads.

Money is integer fen and times are tz-aware inside; yuan with two decimals and ISO 8601 with
offset outside. Bad rows are quarantined with file, line, field and reason.
"""

from __future__ import annotations

from redline.bundle.quarantine import QuarantineRecord, read_quarantine, write_quarantine
from redline.bundle.read import BundleRead, FileReport, ReadReport, read_bundle
from redline.bundle.write import internal_table, write_bundle

__all__ = [
    "BundleRead",
    "FileReport",
    "QuarantineRecord",
    "ReadReport",
    "internal_table",
    "read_bundle",
    "read_quarantine",
    "write_bundle",
    "write_quarantine",
]
