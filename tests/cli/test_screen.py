"""`redline screen` end to end: output format, offsets into the original text, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from tests.cli.run import run_cli

FIELDS = ["message_id", "rule_id", "category", "detector", "label", "start", "end", "evidence", "severity", "reason"]


def _jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


@pytest.fixture
def messages(tmp_path: Path) -> Path:
    path = tmp_path / "messages.jsonl"
    body = _jsonl(
        {"id": "m1", "text": "王老板发来一个红包:节日快乐,以后多关照"},
        {"id": "m2", "text": "明天上午九点召开全体干部大会"},
        {"id": "m3", "text": "這是內部資料，不 得 外 傳"},
    )
    body += b"{not json\n"  # line 4
    body += b'{"id": "m5", "text": "\xff\xfe"}\n'  # line 5: invalid UTF-8
    body += _jsonl(
        {"id": "m6", "text": None},  # an image: nothing to screen
        {"id": "m7", "text": "\x00\x07控制字符" + "填充" * 300_000 + "网传明天停水，速转"},  # ~1 MB
        {"text": "没有编号"},  # line 8
        {"id": "m9", "text": ""},
        {"id": "m10", "text": "他的身份证是440304198506151237"},
    )
    path.write_bytes(body)
    return path


def test_screen_writes_findings_in_the_documented_format(capsys: pytest.CaptureFixture[str], messages: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "findings.jsonl"
    code, _, err = run_cli(capsys, "screen", "--packs", "all", "--input", str(messages), "--output", str(out_path))
    assert code == 0, err
    findings = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert all(list(f) == FIELDS for f in findings)
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in _good_lines(messages)}
    for f in findings:  # offsets are characters of the ORIGINAL text
        assert texts[f["message_id"]][f["start"]:f["end"]] == f["evidence"]
        assert f["reason"]
    by_msg: dict[str, set[str]] = {}
    for f in findings:
        by_msg.setdefault(f["message_id"], set()).add(f["rule_id"])
    assert {"TJ-06", "ZJ-06"} <= by_msg["m1"]
    assert "m2" not in by_msg
    assert {"ZJ-02", "TJ-07"} <= by_msg["m3"]
    assert {"ZJ-03", "TJ-09"} <= by_msg["m7"]
    assert "ZJ-09" in by_msg["m10"]
    assert {"m6", "m9"}.isdisjoint(by_msg)
    assert f"{messages}:4: invalid JSON" in err
    assert f"{messages}:5: invalid UTF-8" in err
    assert f"{messages}:8: no usable `id`" in err
    assert "screened 7 messages" in err
    assert "3 bad lines skipped" in err


def _good_lines(path: Path) -> list[bytes]:
    good = []
    for line in path.read_bytes().splitlines():
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(record.get("text"), str) and "id" in record:
            good.append(line)
    return good


def test_screen_to_stdout_in_batches(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import redline.cli.screen as screen

    monkeypatch.setattr(screen, "BATCH", 2)  # several batches from five messages
    path = tmp_path / "in.jsonl"
    path.write_bytes(_jsonl(*({"id": f"x{i}", "text": f"第{i}条：正品代购，私聊下单"} for i in range(5))))
    code, out, _ = run_cli(capsys, "screen", "--packs", "zhejiang-2017", "--input", str(path))
    assert code == 0
    ids = [json.loads(line)["message_id"] for line in out.splitlines() if json.loads(line)["rule_id"] == "ZJ-05"]
    assert sorted(set(ids)) == [f"x{i}" for i in range(5)]


def test_missing_input_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "screen", "--input", str(tmp_path / "none.jsonl"))
    assert code == 2
    assert err.startswith("redline: error: ")
    assert "no such input file" in err


@pytest.mark.parametrize("block", [1, 5, 64, 1 << 20], ids=lambda b: f"block{b}")
def test_reader_keeps_line_numbers_across_blocks_and_batches(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    import io

    import redline.cli.screen as screen

    monkeypatch.setattr(screen, "BATCH", 3)
    body = _jsonl({"id": "a", "text": "一"}, {"id": 2, "text": "二"}) + b"\n" + b"[1]\n" + _jsonl(
        {"id": "c", "text": "三"}, {"id": "d", "text": 4}, {"id": "e", "text": "五"},
    ) + b'{"id": "f", "text": "no newline at the end"}'
    bad = screen.BadLines("in.jsonl")
    batches = list(screen.read_batches(io.BytesIO(body), bad, None, None, block=block))
    assert [i for ids, _, _ in batches for i in ids] == ["a", "2", "c", "e", "f"]
    assert [t for _, texts, _ in batches for t in texts] == ["一", "二", "三", "五", "no newline at the end"]
    assert bad.shown == ["in.jsonl:4: not a JSON object", "in.jsonl:6: `text` is not a string"]


_RECORD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
                           st.text(max_size=4), st.lists(st.integers(), max_size=1))
_RECORDS = st.one_of(
    st.fixed_dictionaries({"id": st.one_of(st.text(max_size=3), st.integers(0, 9)), "text": st.text(max_size=6)},
                          optional={"group_type": st.one_of(st.sampled_from(["工作群", "家庭群", "Family", "?"]), _RECORD_VALUES),
                                    "conversation": st.one_of(st.sampled_from(["g1", "dm:a|b", "weibo:1", ""]), _RECORD_VALUES)}),
    st.dictionaries(st.sampled_from(["id", "text", "x", "group_type"]), _RECORD_VALUES, max_size=3),
    _RECORD_VALUES,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_RECORDS, min_size=1, max_size=6))
def test_chunk_fast_path_reads_as_line_by_line(records: list[object]) -> None:
    """The column-wise check of a parsed chunk accepts exactly what the line parser accepts."""
    import redline.cli.screen as screen

    raws = [json.dumps(r, ensure_ascii=False).encode() for r in records]
    by_line = screen.BadLines("in.jsonl")
    expected: tuple[list[str], list[str], list[object]] = ([], [], [])
    for k, raw in enumerate(raws):
        parsed = screen.parse_line(raw, k + 1, by_line)
        if parsed is not None:
            for column, value in zip(expected, parsed, strict=True):
                column.append(value)
    bad = screen.BadLines("in.jsonl")
    ids, texts, contexts = screen.parse_chunk(raws, 1, bad)
    assert (ids, texts) == expected[:2]
    assert (contexts or [None] * len(ids)) == expected[2]
    assert (bad.count, bad.shown) == (by_line.count, by_line.shown)


_LINES = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}, ensure_ascii=False),
              st.one_of(st.text(max_size=3), st.integers(0, 99)), st.text(max_size=8)),
    st.sampled_from(["", " ", "\r", "[1]", "{not json", '{"id": "x"}', '{"id": "y", "text": null}', "1,2"]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_LINES, max_size=12), st.integers(1, 64), st.booleans())
def test_batches_read_as_the_lines_parsed_one_by_one(lines: list[str], block: int, final_newline: bool) -> None:
    import io
    from unittest.mock import patch

    import redline.cli.screen as screen

    body = "\n".join(lines).encode() + (b"\n" if final_newline and lines else b"")
    expected: tuple[list[str], list[str]] = ([], [])
    by_line = screen.BadLines("in.jsonl")
    for k, raw in enumerate(body.split(b"\n")):
        parsed = screen.parse_line(raw, k + 1, by_line)
        if parsed is not None:
            expected[0].append(parsed[0])
            expected[1].append(parsed[1])
    bad = screen.BadLines("in.jsonl")
    with patch.object(screen, "BATCH", 3):  # batches end inside blocks and blocks inside batches
        got = list(screen.read_batches(io.BytesIO(body), bad, None, None, block=block))
    assert all(len(ids) <= 3 for ids, _, _ in got)
    assert ([i for ids, _, _ in got for i in ids], [t for _, texts, _ in got for t in texts]) == expected
    assert bad.shown == by_line.shown


@pytest.mark.parametrize(("where", "cm12"), [
    ({}, True),  # nothing said: every rule applies, as before
    ({"group_type": "工作群"}, True),  # the organisation's word for a department group
    ({"group_type": " Department "}, True),
    ({"group_type": "专项工作群", "conversation": "g0042"}, True),
    ({"conversation": "g0042"}, True),  # a group nobody typed: unknown, which excludes no rule
    ({"group_type": "家庭群"}, False),  # off-topic chat is a fault of a work group only
    ({"group_type": "family"}, False),
    ({"conversation": "dm:P01001|P01002"}, False),  # private, as `redline scan` reads the id
    ({"conversation": "weibo:1234"}, False),  # a public post
    ({"group_type": "我们自己起的名字"}, False),  # unmapped: `other`, as in groups.csv, not a work group
])
def test_a_line_can_say_where_the_message_was_posted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: dict[str, str], cm12: bool,
) -> None:
    text = "有没有人知道哪家的奶茶好喝，推荐一下"  # CM-12's own `match` example (off-topic chat)
    path = tmp_path / "in.jsonl"
    path.write_bytes(_jsonl({"id": "m1", "text": text, **where}, {"id": "m2", "text": text}))
    code, out, err = run_cli(capsys, "screen", "--input", str(path))
    assert code == 0, err
    rules = {(json.loads(line)["message_id"], json.loads(line)["rule_id"]) for line in out.splitlines()}
    assert (("m1", "CM-12") in rules) is cm12
    assert ("m2", "CM-12") in rules  # the line beside it, which says nothing, is screened as before


@pytest.mark.parametrize(("record", "why"), [
    ({"id": "a", "text": "x", "group_type": 3}, "`group_type` is not a string"),
    ({"id": "a", "text": "x", "conversation": ["g1"]}, "`conversation` is not a string"),
])
def test_a_malformed_context_is_a_named_bad_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  record: dict[str, object], why: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(_jsonl({"id": "ok", "text": "下午开会"}, record))
    code, _, err = run_cli(capsys, "screen", "--input", str(path))
    assert code == 0
    assert f"in.jsonl:2: {why}" in err
    assert "screened 1 messages" in err


@pytest.mark.parametrize("text", [
    "明天上午九点在食堂二楼召开全体干部大会，请准时参加",
    "食堂本周菜单已发群文件，请查收",
    "各科室于周五前将食堂就餐人数报办公室",
])
def test_a_term_the_organisation_added_is_not_vetoed_by_the_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str,
) -> None:
    """CM-07 lets clf.conduct veto weak gambling hits on work messages it is sure are benign;
    a term the organisation added (here a neutral word, as a test stands in for a new code word
    the model has never seen) is the organisation's call and hits at full strength."""
    overrides = tmp_path / "org.yaml"
    overrides.write_text("lexicons:\n  gambling: {add: [食堂]}\n", encoding="utf-8")
    path = tmp_path / "in.jsonl"
    path.write_bytes(_jsonl({"id": "m1", "text": text}))
    code, out, err = run_cli(capsys, "screen", "--input", str(path), "--overrides", str(overrides))
    assert code == 0, err
    hits = [json.loads(line) for line in out.splitlines()]
    assert {(h["rule_id"], h["evidence"]) for h in hits} >= {("FX-01", "食堂"), ("TJ-10", "食堂")}


def _escape_key(line: str, key: str, how: int) -> str:
    """`key` as JSON may spell it: plainly, or with one letter as a \\u escape (upper or lower hex)."""
    if how == 0 or f'"{key}"' not in line:
        return line
    letter = key[how % len(key)]
    code = f"\\u{ord(letter):04x}" if how % 2 else f"\\u{ord(letter):04X}"
    return line.replace(f'"{key}"', '"' + key.replace(letter, code, 1) + '"', 1)


_WELL_FORMED = st.fixed_dictionaries(  # what the fast path reads (a bad line sends the chunk line by line)
    {"id": st.one_of(st.text(min_size=1, max_size=3), st.integers(0, 9)), "text": st.text(max_size=6)},
    optional={"group_type": st.sampled_from(["工作群", "家庭群", "Family", "?"]),
              "conversation": st.sampled_from(["g1", "dm:a|b", "weibo:1", ""])})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(_WELL_FORMED, _RECORDS), st.integers(0, 5), st.integers(0, 5)),
                min_size=1, max_size=6))
def test_lines_read_their_contexts_as_one_by_one(records: list[tuple[object, int, int]]) -> None:
    """The chunk reader's column-wise fast path reads every context as the line parser does,
    however the key is written (JSON may escape any letter of it)."""
    import redline.cli.screen as screen

    lines = [_escape_key(_escape_key(json.dumps(r, ensure_ascii=False), "group_type", g), "conversation", c)
             for r, g, c in records]
    by_line = screen.BadLines("in.jsonl")
    expected: tuple[list[str], list[str], list[object]] = ([], [], [])
    for k, line in enumerate(lines):
        parsed = screen.parse_line(line.encode(), k + 1, by_line)
        if parsed is not None:
            for column, value in zip(expected, parsed, strict=True):
                column.append(value)
    bad = screen.BadLines("in.jsonl")
    ids, texts, contexts = screen.parse_lines("".join(f"{line}\n" for line in lines).encode(), len(lines), 1, bad)
    assert (ids, texts) == expected[:2]
    assert (contexts or [None] * len(ids)) == expected[2]
    assert (bad.count, bad.shown) == (by_line.count, by_line.shown)
