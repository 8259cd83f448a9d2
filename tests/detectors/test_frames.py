"""frames: every frame's own examples, evasions, notices, and errors that point at the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from tests.detectors.conftest import build

from redline.detectors.frames import FramesConfig, FramesDetector
from redline.errors import PackError
from redline.scan.engine import scan_hits
from redline.specs.frames import load_frame_file, shipped_frames

FRAMES = shipped_frames()
CASES = [
    (fid, text, expect)
    for fid, frame in sorted(FRAMES.items())
    for expect, texts in ((True, frame.examples.match), (False, frame.examples.no_match))
    for text in texts
]
# more hard cases than the data files hold: ordinary chat and notices that share the words
EXTRA = [
    ("leak-unreleased-document", "通知还没发，大家先别急", False),  # state and object, no act
    ("leak-unreleased-document", "文件我先发你，已印发的那版", False),  # no state
    ("leak-unreleased-document", "紅頭文件還沒印發，我先拍照發群裡", True),  # traditional characters
    ("leak-unreleased-document", "这个方 案 还 没 定 稿，先 发 你 们", True),  # spaced out
    ("expose-personal-data", "查出来是感冒，在家休息", False),
    ("expose-personal-data", "那人的sfz和住址我都扒出来了", True),  # an abbreviation (身份证)
    ("give-gift-to-official", "给局长塞了个hb，意思一下", True),  # hb: 红包
    ("give-gift-to-official", "hbase的表局长让我今天送过去", False),  # hb inside a word
    ("stakes-card-game", "斗地主三缺一，谁来", False),
    ("stakes-card-game", "今晚开黑上分，输了别骂人", False),
    ("buy-votes", "投票时间截至周五，请大家按时投票", False),
    ("feed-ai-assistant", "email里的方案我上传好了", False),  # ai inside email
    ("feed-ai-assistant", "把材料上传到 AI 让它润色", True),
    ("collect-gift-money", "同事结婚，咱们几个凑份子买个礼物", False),  # no superior
    ("spread-unverified", "提醒大家：听说有人冒充客服，请勿转发扩散不实信息", False),
]


def _found(frame_id: str, texts: list[str]) -> list[list[str]]:
    detector = build(FramesDetector, [{"frames": [frame_id]}])
    hits = scan_hits([detector], texts)
    out: list[list[str]] = [[] for _ in texts]
    for hit in hits:
        out[hit.row].append(hit.why)
    return out


@pytest.mark.parametrize(("frame_id", "text", "expect"), CASES, ids=[f"{c[0]}:{c[1][:12]}" for c in CASES])
def test_frame_examples(frame_id: str, text: str, expect: bool) -> None:
    assert bool(_found(frame_id, [text])[0]) is expect


@pytest.mark.parametrize(("frame_id", "text", "expect"), EXTRA, ids=[f"{c[0]}:{c[1][:12]}" for c in EXTRA])
def test_hard_cases(frame_id: str, text: str, expect: bool) -> None:
    assert bool(_found(frame_id, [text])[0]) is expect


def test_every_frame_has_examples_both_ways() -> None:
    for fid, frame in FRAMES.items():
        assert frame.examples.match, fid
        assert frame.examples.no_match, fid


def test_why_names_the_frame_and_its_slots() -> None:
    [whys] = _found("leak-unreleased-document", ["这个红头文件还没正式印发，我先拍照发群里"])
    assert whys == ["frame 未发布文件外传; act 拍照; object 红头文件; state 还没正式印发"]


def test_window_is_respected() -> None:
    far = "红头文件" + "，".join(["今天天气不错"] * 8) + "，还没印发，先拍照"
    assert _found("leak-unreleased-document", [far]) == [[]]


def test_batch_rows_stay_apart() -> None:
    texts = ["红头文件", "还没印发", "拍照发群里", "红头文件还没印发，拍照发群里"]
    assert [bool(w) for w in _found("leak-unreleased-document", texts)] == [False, False, False, True]


def test_unknown_frame_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="did you mean 'buy-votes'"):
        FramesConfig.model_validate({"frames": ["buy-vote"]})


def test_frame_file_errors_point_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "frames:\n"
        "  - id: ok-frame\n"
        "    title: 测试\n"
        "    category: secrets\n"
        "    means: a test\n"
        "    anchor: tool\n"
        "    slots:\n"
        "      act: [上传]\n"
        "      objekt: [方案]\n",
        encoding="utf-8",
    )
    errors: list[PackError] = []
    assert load_frame_file(path, errors) == ()
    text = "\n".join(str(e) for e in errors)
    assert "bad.yaml:7" in text
    assert "unknown slot 'objekt' (did you mean 'object'?)" in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="红头文件还没印发拍照发群里上传AI方案内部资料，。 ab", max_size=40), max_size=6))
def test_scan_is_row_local(texts: list[str]) -> None:
    """A batch finds in each row what that row finds alone (rows never leak into each other)."""
    detector = build(FramesDetector, [{"frames": sorted(FRAMES)}])
    together = sorted((h.row, h.start, h.end, h.why) for h in scan_hits([detector], texts))
    alone = sorted((row, h.start, h.end, h.why) for row, text in enumerate(texts)
                   for h in scan_hits([detector], [text]))
    assert together == alone


_TERMS = st.lists(st.sampled_from(["上传", "方案", "a", "", " ", "x" * 3, "未定稿"]), max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["act", "object", "objekt", "state", "tool"]), _TERMS, max_size=4),
       st.sampled_from(["act", "tool", "state"]), st.integers(min_value=-5, max_value=300))
def test_frame_files_load_or_say_where(tmp_path_factory: pytest.TempPathFactory, slots: dict[str, list[str]],
                                       anchor: str, window: int) -> None:
    """Any frame file either loads, or every error names the file and a line (never a crash)."""
    path = tmp_path_factory.mktemp("frames") / "gen.yaml"
    lines = ["frames:", "  - id: gen-frame", "    title: 测试", "    category: secrets", "    means: generated",
             f"    anchor: {anchor}", f"    window: {window}", "    slots:"]
    lines += [f"      {name}: [{', '.join(repr(t) for t in terms)}]" for name, terms in slots.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[PackError] = []
    frames = load_frame_file(path, errors)
    assert bool(frames) != bool(errors)
    for error in errors:
        assert error.location is not None
        assert error.location.line is not None


def test_a_broken_frame_file_is_reported_at_the_pack_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack naming frames while the frame files are broken gets an error, not a crash."""
    from redline.rules.load import load_packs
    from redline.specs import frames as frame_data

    broken = tmp_path / "frames"
    broken.mkdir()
    (broken / "bad.yaml").write_text("frames:\n  - id: x\n", encoding="utf-8")
    monkeypatch.setattr(frame_data, "SHIPPED_DIR", broken)
    frame_data.shipped_frames.cache_clear()
    try:
        result = load_packs([Path(frame_data.__file__).parent.parent / "packs" / "ai-assistants.yaml"])
    finally:
        frame_data.shipped_frames.cache_clear()
    text = "\n".join(str(e) for e in result.errors)
    assert "ai-assistants.yaml" in text
    assert "bad.yaml:2" in text
