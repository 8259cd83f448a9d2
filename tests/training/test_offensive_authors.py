"""The reader of comments written for clf.offensive (`data/offensive/authors/*/`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from redline.errors import ConfigError
from redline.training.datasets import normalized
from redline.training.offensive_authors import AUTHORS_DIR, parse_file, read_written


def _write(root: Path, author: str, name: str, lines: list[str]) -> None:
    (root / author).mkdir(parents=True, exist_ok=True)
    (root / author / name).write_text("# a description of the file\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_labels_kinds_and_topics_come_from_file_name_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "a1", "safe_antibias.txt", ["region|别一竿子打翻一船人", "", "# a note", "race|肤色不决定人品"])
    _write(tmp_path, "a2", "offensive_explicit.txt", ["gender|某某群体都不行滚出去"])
    written = read_written(tmp_path)
    got = {r.text: (r.author, r.kind, r.topic, r.offensive) for r in written.train + written.held_out}
    a, b, c = normalized(["别一竿子打翻一船人", "肤色不决定人品", "某某群体都不行滚出去"])
    assert got == {a: ("a1", "antibias", "region", False), b: ("a1", "antibias", "race", False),
                   c: ("a2", "explicit", "gender", True)}


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [("safe_antibias.txt", "没有竖线的一行", "topic|text"),
     ("safe_antibias.txt", "race|", "topic|text"),
     ("safe_antibias.txt", "|只有正文", "topic|text"),
     ("neutral_x.txt", "race|正文", "safe_<kind>"),
     ("safe_Bad-Kind.txt", "race|正文", "safe_<kind>")],
    ids=["no-bar", "no-text", "no-topic", "unknown-label", "bad-kind"],
)
def test_malformed_files_are_refused_with_the_place(tmp_path: Path, name: str, line: str, message: str) -> None:
    _write(tmp_path, "a1", name, [line])
    with pytest.raises(ConfigError, match=message):
        read_written(tmp_path)


def test_a_text_written_with_both_labels_is_dropped_and_repeats_count_once(tmp_path: Path) -> None:
    _write(tmp_path, "a1", "safe_descriptive.txt", ["region|河南人口一亿", "race|同一句话"])
    _write(tmp_path, "a2", "offensive_sarcastic.txt", ["race|同一句话"])
    _write(tmp_path, "a2", "safe_news.txt", ["region|河南人口一亿"])
    written = read_written(tmp_path)
    rows = written.train + written.held_out
    assert [r.text for r in rows] == normalized(["河南人口一亿"])
    assert [r.author for r in rows] == ["a1"]


def test_no_folder_means_no_rows(tmp_path: Path) -> None:
    written = read_written(tmp_path / "absent")
    assert (written.train, written.held_out) == ([], [])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="黑人女权河南东北好坏不是歧视滚都这些的吗？!", min_size=2, max_size=12),
                min_size=1, max_size=30, unique=True))
def test_split_depends_on_the_text_alone(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    """A text lands on the same side whichever file, author or order it comes in."""
    one, two = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    _write(one, "a1", "safe_x.txt", [f"race|{t}" for t in texts])
    half = len(texts) // 2
    _write(two, "b9", "safe_y.txt", [f"region|{t}" for t in reversed(texts[half:])])
    _write(two, "b1", "safe_z.txt", [f"gender|{t}" for t in texts[:half]])
    first, second = read_written(one), read_written(two)
    assert {r.text for r in first.held_out} == {r.text for r in second.held_out}
    assert {r.text for r in first.train} == {r.text for r in second.train}
    assert not {r.text for r in first.train} & {r.text for r in first.held_out}


def test_held_out_share_is_about_a_fifth(tmp_path: Path) -> None:
    _write(tmp_path, "a1", "safe_many.txt", [f"race|第{i}条评论说的是某个群体" for i in range(2000)])
    written = read_written(tmp_path)
    share = len(written.held_out) / (len(written.train) + len(written.held_out))
    assert 0.17 < share < 0.23


def test_committed_files_parse() -> None:
    """Whatever authors have committed reads cleanly; besides the comment files only notes (.md)."""
    for path in sorted(AUTHORS_DIR.glob("*/*.txt")):
        assert parse_file(path, path.parent.name), f"{path} holds no comment"
    others = [p for p in AUTHORS_DIR.glob("*/*") if p.suffix != ".txt"]
    assert all(p.suffix == ".md" for p in others), f"not a comment file nor a note: {others}"
