"""The reader of group chat written for clf.promotion (`data/promotion/authors/*/`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redline.errors import ConfigError
from redline.training.promotion_authors import AUTHORS_DIR, parse_file, read_authors, source_name
from redline.training.promotion_data import CHAT_SOURCES, Split, chat_sources


def _write(root: Path, author: str, name: str, lines: list[str]) -> None:
    (root / author).mkdir(parents=True, exist_ok=True)
    (root / author / name).write_text("# what the file holds\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_labels_kinds_and_settings_come_from_file_name_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "p1", "ads.txt", ["QQ游戏群|t|皮肤便宜出，懂的来", "", "# a note"])
    _write(tmp_path, "p1", "not_price.txt", ["微信同学群|p|聚餐AA每人85"])
    _write(tmp_path, "p2", "chat.txt", ["微信业主群|e|今天电梯修好了吗😂"])
    got = {x.text: (x.author, x.kind, x.setting, x.ad) for x in read_authors(tmp_path)}
    assert got == {"皮肤便宜出，懂的来": ("p1", "ads", "QQ游戏群", True),
                   "聚餐AA每人85": ("p1", "price", "微信同学群", False),
                   "今天电梯修好了吗😂": ("p2", "chat", "微信业主群", False)}


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [("ads.txt", "QQ游戏群|t", "setting|register|text"),
     ("ads.txt", "QQ游戏群|t|正文|多一栏", "setting|register|text"),
     ("ads.txt", "|t|正文", "setting|register|text"),
     ("ads.txt", "QQ游戏群|t| ", "setting|register|text"),
     ("adverts.txt", "QQ游戏群|t|正文", "ads.txt"),
     ("not_Bad-Kind.txt", "QQ游戏群|t|正文", "not_<kind>")],
    ids=["two-fields", "four-fields", "no-setting", "no-text", "unknown-file", "bad-kind"],
)
def test_malformed_files_are_refused_with_the_place(tmp_path: Path, name: str, line: str, message: str) -> None:
    _write(tmp_path, "p1", name, [line])
    with pytest.raises(ConfigError, match=message) as caught:
        read_authors(tmp_path)
    assert name in str(caught.value)
    if "fields" in message or "|" in message:
        assert f"{name}:2" in str(caught.value)  # line 1 is the description


def test_each_author_is_a_chat_source_of_its_own_after_the_fixed_four(tmp_path: Path) -> None:
    _write(tmp_path, "zz", "ads.txt", ["其他|p|团购水果找我"])
    _write(tmp_path, "aa", "chat.txt", ["其他|p|明天下雨"])
    lines = read_authors(tmp_path)
    split = Split([x.text for x in lines], np.array([x.ad for x in lines]), [source_name(x.author) for x in lines])
    assert chat_sources(split) == (*CHAT_SOURCES, "written:aa", "written:zz")


def test_a_missing_folder_reads_as_no_author(tmp_path: Path) -> None:
    assert read_authors(tmp_path / "nowhere") == []


@pytest.mark.skipif(not AUTHORS_DIR.is_dir(), reason="no written promotion chat in this checkout")
def test_the_shipped_author_files_parse_and_hold_both_labels() -> None:
    for path in sorted(AUTHORS_DIR.glob("*/*.txt")):
        lines = parse_file(path, path.parent.name)
        assert lines, path
    by_author: dict[str, set[bool]] = {}
    for x in read_authors():
        by_author.setdefault(x.author, set()).add(x.ad)
    assert by_author
    assert all(labels == {True, False} for labels in by_author.values())
