"""Property tests: random, truncated and wrongly encoded input never raises anything but our
own errors, and truncation never loses a row that was complete."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from redline.errors import RedlineError
from redline.ingest.run import read_source

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

LINE_FILES = [
    ("bank-statement-csv/icbc_debit-v2_icbc-debit-v2-records.csv", "payments"),
    ("bank-statement-csv/abc_debit_abc_debit-records.csv", "payments"),
    ("wechat-pay-bill/example-wechat-records.csv", "payments"),
    ("pywxdump-csv/weclone_test_person_0_730.csv", "messages"),
    ("wecom-msgaudit/decrypted_messages.reconstructed.jsonl", "messages"),
]
FORMATS = ["auto", "wecom-archive", "pywxdump-csv", "chatlog-json", "wechat-pay", "alipay", "bank-csv", "roster",
           "wechat-appmsg"]
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample exports not found")
# REDLINE_FUZZ_EXAMPLES=2000 runs a longer fuzzing session locally
SETTINGS = settings(max_examples=int(os.environ.get("REDLINE_FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(data: bytes, fmt: str, suffix: str = ".csv") -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            return read_source(path, fmt, "me")
        except RedlineError:
            return None


@SETTINGS
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_random_bytes_raise_only_our_errors(data: bytes, fmt: str) -> None:
    _read(data, fmt)


@SETTINGS
@given(st.data())
def test_truncated_files_keep_every_complete_row(data: st.DataObject) -> None:
    relative, table = data.draw(st.sampled_from(LINE_FILES))
    full_bytes = (SAMPLES / relative).read_bytes()
    full = _read(full_bytes, "auto", Path(relative).suffix)
    assert full is not None
    full_ids = {r.get("payment_id") or r.get("id") for r in full.tables[table]}  # type: ignore[attr-defined]
    lines = full_bytes.split(b"\n")
    cut = data.draw(st.integers(min_value=0, max_value=len(lines)))
    partial = _read(b"\n".join(lines[:cut]), "auto", Path(relative).suffix)
    if partial is None:
        return  # too little left to recognise: a clear error, nothing half-done
    rows = partial.tables.get(table, [])  # type: ignore[attr-defined]
    # every row from a complete line is a row of the full file, and nothing vanished silently
    assert {r.get("payment_id") or r.get("id") for r in rows} <= full_ids
    assert len(rows) + len(partial.quarantined) + sum(partial.skipped.values()) >= partial.rows_read  # type: ignore[attr-defined]


@SETTINGS
@given(st.sampled_from(LINE_FILES), st.sampled_from(["gbk", "utf-16", "latin-1"]))
def test_wrongly_encoded_files_raise_only_our_errors(relative: tuple[str, str], encoding: str) -> None:
    text = (SAMPLES / relative[0]).read_text(encoding="utf-8")
    _read(text.encode(encoding, errors="replace"), "auto", Path(relative[0]).suffix)


@SETTINGS
@given(st.integers(min_value=1, max_value=400), st.binary(min_size=1, max_size=40))
def test_corrupted_bytes_inside_a_bill_raise_only_our_errors(position: int, junk: bytes) -> None:
    data = (SAMPLES / "wechat-pay-bill/example-wechat-records.csv").read_bytes()
    at = min(position * 7, len(data))
    _read(data[:at] + junk + data[at:], "auto")
