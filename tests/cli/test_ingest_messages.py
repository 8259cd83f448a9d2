"""Issue 15 item 9: `redline ingest` says what went wrong in words that help: the encoding of a
GBK archive is recognised (or named), a format is sniffed beyond a huge first line, and an
import that imported nothing says so (and exits non-zero with --strict)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def _redline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, check=False,
                          timeout=300)


def _line(n: int, text: str) -> str:
    return json.dumps({"msgid": f"m{n}", "action": "send", "from": "zhangsan", "tolist": ["lisi"], "roomid": "",
                       "msgtime": 1700000000000 + n * 1000, "msgtype": "text", "text": {"content": text}},
                      ensure_ascii=False)


def _messages(out: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in (out / "messages.jsonl").read_text(encoding="utf-8").splitlines() if x]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_a_chinese_encoded_archive_imports(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "archive.jsonl"
    source.write_bytes("\n".join(_line(n, f"第{n}条：周五前报送材料") for n in range(5)).encode(encoding) + b"\n")
    out = tmp_path / "bundle"
    run = _redline("ingest", str(source), "--out", str(out))
    assert run.returncode == 0, run.stderr
    texts = [m["text"] for m in _messages(out)]
    assert texts == [f"第{n}条：周五前报送材料" for n in range(5)]
    assert "surrogates" not in (out / "quarantine.jsonl").read_text(encoding="utf-8")
    if encoding != "utf-8":
        assert "GB18030" in run.stdout  # the report names the encoding it read


def test_an_undecodable_archive_names_the_encoding_problem(tmp_path: Path) -> None:
    source = tmp_path / "archive.jsonl"
    # Big5 bytes for 報送 in the middle of UTF-8: neither UTF-8 nor GB18030 reads the file cleanly
    source.write_bytes(_line(1, "ok").encode() + b"\n" + _line(2, "x").encode().replace(b'"x"', b'"\xb3\xf8\xff"') + b"\n")
    out = tmp_path / "bundle"
    run = _redline("ingest", str(source), "--out", str(out))
    quarantine = (out / "quarantine.jsonl").read_text(encoding="utf-8")
    assert "surrogates not allowed" not in quarantine
    assert "encoding" in run.stdout + quarantine


def test_a_huge_first_line_does_not_hide_the_format(tmp_path: Path) -> None:
    source = tmp_path / "archive.jsonl"
    huge = "长" * (3 * 1024 * 1024)  # 9 MB of UTF-8 on the first line: beyond any head that is sniffed
    source.write_text("\n".join([_line(0, huge), *(_line(n, f"消息{n}") for n in range(1, 4))]) + "\n", encoding="utf-8")
    out = tmp_path / "bundle"
    run = _redline("ingest", str(tmp_path), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "format not recognised" not in run.stdout + run.stderr
    assert {m["id"] for m in _messages(out)} >= {"m1", "m2", "m3"}


@pytest.mark.parametrize("strict", [False, True])
def test_nothing_imported_is_said_plainly(tmp_path: Path, strict: bool) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("just notes\n", encoding="utf-8")
    for folder in (empty, tmp_path / "other"):
        run = _redline("ingest", str(folder), "--out", str(tmp_path / f"b-{folder.name}"), *(["--strict"] if strict else []))
        assert "nothing was imported" in run.stdout + run.stderr
        assert run.returncode == (1 if strict else 0)
