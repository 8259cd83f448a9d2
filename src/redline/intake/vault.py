"""Where sealed report material lives: message ciphertexts in the database, files on disk under
random names; both only ever under a report's key."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import InputError, NotFound, SourceLocation
from redline.intake.sealing import lock, unlock
from redline.intake.uploads import CleanFile
from redline.store.tables.intake import ReportFile, ReportMessage


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """One decrypted message of a report's thread, with its files' metadata."""

    id: int
    author: str  # reporter | officer | outcome
    sent_on: date
    body: dict[str, Any]
    files: list[dict[str, Any]]


def files_dir(data_dir: Path) -> Path:
    """The upload folder (created on first use)."""
    folder = data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file already sealed and written under its random name, not yet in the database."""

    stored_name: str
    sealed_meta: bytes


def store_files(data_dir: Path, key: bytes, files: Sequence[CleanFile]) -> list[StoredFile]:
    """Seal files under the report key and write them (before the transaction that records them)."""
    folder = files_dir(data_dir) if files else data_dir
    stored: list[StoredFile] = []
    for file in files:
        name = secrets.token_hex(16)
        try:
            (folder / name).write_bytes(lock(key, file.data))
        except OSError as exc:
            remove_files(data_dir, stored)
            raise InputError(f"cannot store an upload: {exc.strerror}", SourceLocation(folder)) from exc
        meta = {"name": file.display_name, "mime": file.mime, "size": len(file.data)}
        stored.append(StoredFile(name, lock(key, json.dumps(meta, ensure_ascii=False).encode("utf-8"))))
    return stored


def remove_files(data_dir: Path, stored: Sequence[StoredFile]) -> None:
    """Remove written files that no database row will point at."""
    for file in stored:
        (files_dir(data_dir) / file.stored_name).unlink(missing_ok=True)


def add_message(session: Session, data_dir: Path, key: bytes, report_id: int, author: str, today: date,
                body: dict[str, Any], files: Sequence[CleanFile] | Sequence[StoredFile]) -> ReportMessage:
    """Seal a message and its files into the report's thread (files given clean are written now)."""
    message = ReportMessage(report_id=report_id, author=author, sent_on=today,
                            ciphertext=lock(key, json.dumps(body, ensure_ascii=False).encode("utf-8")))
    session.add(message)
    session.flush()
    stored = [f for f in files if isinstance(f, StoredFile)]
    stored += store_files(data_dir, key, [f for f in files if isinstance(f, CleanFile)])
    session.add_all([ReportFile(report_id=report_id, message_id=message.id, stored_name=f.stored_name,
                                sealed_meta=f.sealed_meta) for f in stored])
    return message


def thread(session: Session, key: bytes, report_id: int) -> list[ThreadMessage]:
    """Every message of a report, decrypted, oldest first."""
    files: dict[int | None, list[dict[str, Any]]] = {}
    for row in session.scalars(select(ReportFile).where(ReportFile.report_id == report_id).order_by(ReportFile.id)):
        meta = json.loads(unlock(key, row.sealed_meta))
        files.setdefault(row.message_id, []).append({"id": row.id, **meta})
    rows = session.scalars(select(ReportMessage).where(ReportMessage.report_id == report_id).order_by(ReportMessage.id))
    return [ThreadMessage(m.id, m.author, m.sent_on, json.loads(unlock(key, m.ciphertext)), files.get(m.id, []))
            for m in rows]


def read_file(session: Session, data_dir: Path, key: bytes, report_id: int, file_id: int) -> tuple[dict[str, Any], bytes]:
    """A file's metadata and decrypted bytes."""
    row = session.get(ReportFile, file_id)
    if row is None or row.report_id != report_id:
        raise InputError("no such file in this report")
    meta = json.loads(unlock(key, row.sealed_meta))
    path = files_dir(data_dir) / row.stored_name
    if not path.is_file():
        # the console and the portal were given different data folders (or the file was purged)
        raise NotFound(f"the sealed file is not under {data_dir}: start `redline serve --data` with the folder "
                       f"given to `redline portal --data`")
    return meta, unlock(key, path.read_bytes())


def delete_files(session: Session, data_dir: Path, report_id: int) -> int:
    """Remove a report's files from disk; returns how many."""
    count = 0
    for row in session.scalars(select(ReportFile).where(ReportFile.report_id == report_id)):
        (files_dir(data_dir) / row.stored_name).unlink(missing_ok=True)
        count += 1
    return count
