"""`ingest`: sources (files or folders) → one canonical bundle, its quarantine and import report."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from redline.bundle import write_bundle, write_quarantine
from redline.bundle.schema import FILES, IMPORT_REPORT_FILE, QUARANTINE_FILE
from redline.errors import InputError, InputReason, SourceLocation
from redline.ingest import (
    appmsg,
    archives,
    bank_csv,
    bills,
    memotrace,
    moments,
    roster,
    wechat_export,
    wecom_archive,
    weibo,
)
from redline.ingest.accounts import link_accounts
from redline.ingest.detect import FORMATS, Decoded, decode, sniff
from redline.ingest.join import merge
from redline.ingest.result import SourceResult
from redline.ingest.values import CellError

MAX_FILE_BYTES: Final = 2 * 1024**3


@dataclass
class IngestReport:
    """What an ingest did, per source and in total; saved as import_report.json."""

    out: Path
    sources: list[dict[str, Any]] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    joined_from_bills: int = 0
    linked_accounts: int = 0  # rows re-keyed from an account (weibo uid, wxid) to its person
    failed: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {"bundle": str(self.out), "written": self.written, "quarantined": self.quarantined,
                "joined_from_bills": self.joined_from_bills,
                "linked_accounts": self.linked_accounts, "failed": self.failed, "sources": self.sources}


def expand(sources: Sequence[Path]) -> list[tuple[Path, bool]]:
    """Files to read, each marked whether it was named explicitly (folders are walked, sorted)."""
    files: list[tuple[Path, bool]] = []
    for source in sources:
        if source.is_dir():
            files += [(p, False) for p in sorted(source.rglob("*"))
                      if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)]
        elif source.is_file():
            files.append((source, True))
        else:
            raise InputError("no such file or folder", SourceLocation(source), InputReason.NOT_FOUND)
    return files


def read_source(path: Path, fmt: str, owner: str) -> SourceResult:
    """One file through its importer; raises InputError when the file as a whole is unreadable."""
    # The format is sniffed from the head of the file: a video in a folder is skipped
    # without being read; only a recognised export is read whole (up to MAX_FILE_BYTES).
    chosen = sniff(path) if fmt == "auto" else fmt
    if chosen is None:
        raise InputError("format not recognised from the content (give --format; see `redline ingest --help`)",
                         SourceLocation(path), InputReason.NOT_RECOGNISED)
    if chosen not in FORMATS:
        raise InputError(f"unknown format {chosen!r} (known: {', '.join(FORMATS)})", SourceLocation(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError("file larger than 2 GiB: split it first", SourceLocation(path), InputReason.TOO_LARGE)
    decoded = decode(path)
    result = SourceResult(path=path, format=chosen)
    if decoded.encoding.startswith("utf-8 (with"):
        result.note("the file's encoding is neither UTF-8 nor GB18030 (GBK): undecodable bytes were replaced; "
                    "re-export it as UTF-8")
    elif decoded.encoding == "gb18030":
        result.note("read as GB18030 (GBK), the encoding of Chinese Windows: the file is not UTF-8")
    try:
        _dispatch(chosen, path, decoded, result, owner)
    except CellError as exc:
        raise InputError(str(exc), SourceLocation(path)) from exc
    return result


def _dispatch(fmt: str, path: Path, decoded: Decoded, result: SourceResult, owner: str) -> None:
    text = decoded.text
    if fmt in ("wechat-pay", "roster") and text is None:
        (bills.read_wechat_pay(path, None, result, owner) if fmt == "wechat-pay" else roster.read_roster(path, None, result))
        return
    if fmt == "moments-sns" and text is None:
        moments.read_sns_database(path, result)
        return
    if text is None:
        raise InputError(f"a workbook cannot be read as {fmt}", SourceLocation(path))
    readers: dict[str, Callable[[], None]] = {
        "wecom-archive": lambda: wecom_archive.read_archive(path, result, decoded.encoding),
        "wecom-api": lambda: wecom_archive.read_api_response(path, _json(path, text), result),
        "pywxdump-csv": lambda: wechat_export.read_pywxdump_csv(path, text, result, owner),
        "chatlog-json": lambda: wechat_export.read_chatlog_json(path, _json(path, text), result, owner),
        "chatlog-csv": lambda: wechat_export.read_chatlog_csv(path, text, result, owner),
        "memotrace-csv": lambda: memotrace.read_memotrace_csv(path, text, result, owner),
        "wechat-appmsg": lambda: appmsg.read_payload_file(path, text, result, owner),
        "wechat-pay": lambda: bills.read_wechat_pay(path, text, result, owner),
        "alipay": lambda: bills.read_alipay(path, text, result, owner),
        "bank-csv": lambda: bank_csv.read_bank_csv(path, text, result, owner),
        "roster": lambda: roster.read_roster(path, text, result),
        "weibo-csv": lambda: weibo.read_weibo_csv(path, text, result),
        "weibo-json": lambda: weibo.read_weibo_json(path, _json(path, text), result),
        "moments-json": lambda: moments.read_moments_json(path, _json(path, text), result),
        "moments-sns": lambda: moments.read_sns_csv(path, text, result),
    }
    readers[fmt]()


def _json(path: Path, text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}", SourceLocation(path)) from exc


def ingest(sources: Sequence[Path], out: Path, *, fmt: str = "auto", owner: str = "self",
           on_file: Callable[[Path], None] | None = None, zip_password: str | None = None) -> IngestReport:
    """Read every source, merge, join chat money to bills, and write the bundle at `out`.

    A file that cannot be read at all is listed in `failed` (the others still land); an
    unrecognised file inside a folder is listed as skipped. Running twice gives the same bundle.
    """
    _check_out(out)
    report = IngestReport(out=out)
    results: list[SourceResult] = []

    def read_one(path: Path, explicit: bool, shown: Path) -> None:
        if on_file:
            on_file(shown)
        try:
            result = read_source(path, fmt, owner)
        except InputError as exc:
            if exc.reason is InputReason.NOT_RECOGNISED and not explicit:
                report.sources.append({"path": str(shown), "format": None, "skipped": "format not recognised"})
                return
            report.failed.append(str(exc).replace(str(path), str(shown), 1))
            report.sources.append({"path": str(shown), "format": fmt, "error": exc.message})
            return
        if path != shown:
            _relabel(result, shown)
        results.append(result)
        report.sources.append(_source_entry(result))

    for path, explicit in expand(sources):
        if not archives.is_archive(path):
            read_one(path, explicit, path)
            continue
        with tempfile.TemporaryDirectory(prefix="redline-unzip-") as tmp:
            try:
                members = archives.unpack(path, Path(tmp), zip_password)
            except InputError as exc:
                report.failed.append(str(exc))
                report.sources.append({"path": str(path), "format": "zip", "error": exc.message})
                continue
            for member in members:
                # a lone file in a mailed zip is what the user meant to import
                read_one(member.path, explicit and len(members) == 1, member.shown)
    merged = merge(results)
    report.joined_from_bills = merged.joined
    report.linked_accounts = link_accounts(merged.tables)
    tables = {name: rows for name, rows in merged.tables.items() if rows}
    write_bundle(out, tables)
    records = [q for r in results for q in r.quarantined] + merged.conflicts
    write_quarantine(out, records)
    report.quarantined = len(records)
    report.written = {name: len(rows) for name, rows in sorted(tables.items())}
    (out / IMPORT_REPORT_FILE).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    return report


def _relabel(result: SourceResult, shown: Path) -> None:
    """Name a file unpacked from a zip as `archive.zip/member`, not by its temporary path."""
    result.path = shown
    result.quarantined = [dataclasses.replace(q, file=str(shown)) for q in result.quarantined]


def _source_entry(result: SourceResult) -> dict[str, Any]:
    reasons = Counter(q.reason.split(":", 1)[0] for q in result.quarantined)
    return {"path": str(result.path), "format": result.format, "rows_read": result.rows_read,
            "written": result.counts(), "quarantined": len(result.quarantined),
            "quarantine_reasons": dict(reasons), "skipped": dict(result.skipped), "notes": result.notes}


def _check_out(out: Path) -> None:
    """Refuse to overwrite a folder that is not a bundle this command wrote (no report in it)."""
    if out.suffix.lower() == ".zip":
        raise InputError("--out must be a folder (zip the bundle afterwards if needed)", SourceLocation(out))
    if out.exists() and any(out.iterdir()) and not (out / IMPORT_REPORT_FILE).exists():
        raise InputError("the output folder exists and is not a bundle written by `redline ingest`",
                         SourceLocation(out))
    if out.exists():
        for spec in FILES:
            (out / spec.filename).unlink(missing_ok=True)
        (out / QUARANTINE_FILE).unlink(missing_ok=True)
