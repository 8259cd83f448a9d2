"""Format sniffing reads the head of a file: big non-exports are skipped unread, by reason code."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from redline.errors import InputError, InputReason
from redline.ingest.detect import HEAD_BYTES, _decode_head, decode, sniff
from redline.ingest.run import MAX_FILE_BYTES, ingest, read_source

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
CHATLOG = "Time,SenderName,Sender,TalkerName,Talker,Content\n2026-03-02 09:00:00,张三,wxid_a,工作群,1@chatroom,收到\n"


def _sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of `size` bytes that costs no disk: `head`, then a hole."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


@pytest.mark.parametrize("head", [PNG, MP4], ids=["photo", "video"])
def test_a_huge_binary_in_a_folder_is_skipped_unread(tmp_path: Path, head: bytes) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _sparse(folder / "clip.bin", head, MAX_FILE_BYTES + 1)  # beyond what read_bytes would take
    (folder / "chat.csv").write_text(CHATLOG, encoding="utf-8")
    report = ingest([folder], tmp_path / "bundle")
    assert report.failed == []
    assert {"path": str(folder / "clip.bin"), "format": None, "skipped": "format not recognised"} in report.sources
    assert report.written["messages"] == 1


def test_refusals_carry_their_kind(tmp_path: Path) -> None:
    with pytest.raises(InputError) as unknown:
        read_source(_sparse(tmp_path / "x.png", PNG, 100), "auto", "self")
    assert unknown.value.reason is InputReason.NOT_RECOGNISED
    big = _sparse(tmp_path / "big.csv", CHATLOG.encode(), MAX_FILE_BYTES + 1)
    with pytest.raises(InputError) as large:
        read_source(big, "auto", "self")
    assert large.value.reason is InputReason.TOO_LARGE


def test_text_is_recognised_from_its_head(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    path.write_text(CHATLOG + "2026-03-02 09:01:00,李四,wxid_b,工作群,1@chatroom,好的\n" * 50_000, encoding="utf-8")
    assert path.stat().st_size > HEAD_BYTES
    assert sniff(path) == "chatlog-csv"


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=60), cut=st.integers(0, 3), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_a_head_cut_inside_a_character_decodes_to_a_prefix(text: str, cut: int, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    head = data[: max(0, len(data) - cut)]
    decoded = _decode_head(head)
    other = "gb18030" if encoding == "utf-8" else "utf-8"
    readings = [r for r in (_reading(head[: len(head) - c], other) for c in range(4)) if r is not None]
    if readings:
        # the same bytes are text in both encodings (d7 af: 庄 in GB18030, U+05EF in UTF-8):
        # either reading is a fair guess, and the head must give one of them
        assert decoded.removeprefix("\ufeff") in readings or text.startswith(decoded.removeprefix("\ufeff"))
    elif "\ufffd" not in decoded:
        assert text.startswith(decoded.removeprefix("\ufeff"))


def _reading(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("text", ["庄", "中文", "庄稼", "群主：好的", "张科长"])
def test_short_gb18030_chinese_is_not_read_as_another_script(text: str, tmp_path: Path) -> None:
    data = text.encode("gb18030")
    assert _decode_head(data) == text
    path = tmp_path / "short.csv"
    path.write_bytes(data)
    assert decode(path).text == text


@pytest.mark.parametrize("text", ["Привет, коллеги, собрание завтра в девять утра в зале", "ئەسسالامۇ ئەلەيكۇم، يىغىن ئەتە سائەت توققۇزدا", "中文"])
def test_a_longer_utf8_export_stays_utf8_even_where_gb18030_would_read_it(text: str, tmp_path: Path) -> None:
    data = (text + "\n") * 4
    path = tmp_path / "utf8.csv"
    path.write_text(data, encoding="utf-8")
    assert decode(path).text == data
    assert _decode_head(data.encode("utf-8")) == data
