"""Zip archives as sources: WeChat Pay and Alipay mail their bills as password-protected zips.

Members are unpacked into a private temporary folder with limits on count, size and
compression ratio (zip bombs), and their names are shown as `archive.zip/member` so the
import report and the quarantine point at what the user holds.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from redline.bundle.archive_limits import check_members, check_ratio, copy_member
from redline.errors import InputError, SourceLocation

_AES: Final = 99  # WinZip AES, which the standard library cannot decrypt


@dataclass(frozen=True, slots=True)
class Member:
    """One unpacked file: where it lies now, and the name the user knows it by."""

    path: Path
    shown: Path


def is_archive(path: Path) -> bool:
    """A zip that is not an Office workbook (xlsx is a zip too, and has its own importers)."""
    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" not in names


def unpack(path: Path, dest: Path, password: str | None) -> list[Member]:
    """Unpack the archive's files under `dest`, checking limits before writing each one."""
    where = SourceLocation(path)
    try:
        # names without the UTF-8 flag are GBK on Chinese Windows, not the cp437 of the spec
        archive = zipfile.ZipFile(path, metadata_encoding="gb18030")
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive: {exc}", where) from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        check_members(infos, where)
        members = []
        for index, info in enumerate(infos):
            members.append(_extract(archive, info, dest / f"{index:05d}", path, password))
        return members


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path, path: Path,
             password: str | None) -> Member:
    name = PurePosixPath(info.filename.replace("\\", "/"))
    where = SourceLocation(path, field=str(name))
    encrypted = bool(info.flag_bits & 0x1)
    if info.compress_type == _AES:
        raise InputError("AES-encrypted archive: unpack it with 7-Zip or the system's archiver first", where)
    if encrypted and not password:
        raise InputError("the archive is password-protected: give --zip-password (WeChat Pay and Alipay "
                         "send the code in a separate message)", where)
    check_ratio(info, where)
    # only the base name: a member may not climb out of the folder (../../etc)
    target = folder / (name.name or "member")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(info, pwd=password.encode("utf-8") if encrypted and password else None) as source, \
                target.open("wb") as sink:
            copy_member(source, sink, info, where)
    except RuntimeError as exc:  # zipfile signals a wrong password with RuntimeError
        raise InputError("wrong --zip-password for this archive", where) from exc
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        # a wrong password passes the one-byte check 1 time in 256 and then fails the CRC
        hint = " (wrong --zip-password?)" if encrypted else ""
        raise InputError(f"cannot unpack: {exc}{hint}", where) from exc
    return Member(target, path / name)
