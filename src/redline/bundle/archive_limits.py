"""Limits on zip archives, shared by the bundle reader and the importers' archive reader.

A zip is untrusted input: a 1 MB file can hold a member that inflates to gigabytes. Before a
byte is inflated the member count, the declared total size and each member's compression
ratio are checked; while inflating, a member is read in chunks and stopped the moment it
grows past its declared size (a header can lie) or past the total limit.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from typing import IO, Final

from redline.errors import SourceLocation, TooLarge

MAX_MEMBERS: Final = 10_000
MAX_TOTAL_BYTES: Final = 2 * 1024**3
MAX_RATIO: Final = 200  # text compresses ~10x; far beyond that is a bomb, not a bill
CHUNK: Final = 1024 * 1024


def check_members(infos: Sequence[zipfile.ZipInfo], where: SourceLocation) -> None:
    """Refuse the archive (TooLarge) before inflating anything: count, total size, ratios."""
    # read at call time, so a test (or an operator's patch) can lower a limit
    import redline.bundle.archive_limits as limits

    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.MAX_MEMBERS:
        raise TooLarge(f"the archive holds {len(files)} files; the limit is {limits.MAX_MEMBERS}", where)
    if sum(i.file_size for i in files) > limits.MAX_TOTAL_BYTES:
        raise TooLarge(f"the archive unpacks to more than {limits.MAX_TOTAL_BYTES // 1024**2} MiB: "
                       "unpack and split it first", where)
    for info in files:
        check_ratio(info, SourceLocation(where.path, field=info.filename))


def check_ratio(info: zipfile.ZipInfo, where: SourceLocation) -> None:
    """Refuse one member whose declared size is far beyond what its compressed bytes can hold."""
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise TooLarge(f"compression ratio above {MAX_RATIO}: refused as a possible zip bomb", where)


def copy_member(source: IO[bytes], sink: IO[bytes], info: zipfile.ZipInfo, where: SourceLocation) -> int:
    """Copy an opened member in chunks, stopping as soon as it outgrows its declared size."""
    written = 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        if written > info.file_size:  # the header lied about the size
            raise TooLarge("member larger than its header says: refused as a possible zip bomb", where)
        sink.write(chunk)
    return written
