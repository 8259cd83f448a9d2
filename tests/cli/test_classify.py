"""`redline classify` round trip: score/predicted for each record, spans in the original text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.run import run_cli as run_shared

from redline.detectors.classifiers.base import shipped_model

RECORDS = [
    {"id": "m1", "text": "河南人都是骗子，滚出去"},
    {"id": "m2", "text": "代购韩国化妆品，正品保证，有意者私聊"},
    {"id": "m3", "text": "收到，请转告 赵 小 红，材料在我这"},
    {"id": "m4", "text": "", "extra": [1, 2]},
]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, _, err = run_shared(capsys, *args)
    return code, err


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("detector", "model", "predicted"),
    [
        ("clf.offensive", "offensive", [True, False, False, False]),
        ("clf.promotion", "promotion", [False, True, False, False]),
    ],
    ids=["offensive", "promotion"],
)
def test_message_classifiers(capsys, tmp_path: Path, records: Path, detector: str, model: str,  # type: ignore[no-untyped-def]
                             predicted: list[bool]) -> None:
    out = tmp_path / "out.jsonl"
    code, err = run_cli(capsys, "classify", "--detector", detector, "--input", str(records), "--output", str(out))
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["m1", "m2", "m3", "m4"]
    assert rows[3]["extra"] == [1, 2]  # other fields are kept
    assert [r["predicted"] for r in rows] == predicted
    threshold = shipped_model(model).threshold
    assert all((r["score"] >= threshold) == r["predicted"] for r in rows)


def test_person_names_with_roster(capsys, tmp_path: Path, records: Path) -> None:  # type: ignore[no-untyped-def]
    people = tmp_path / "people.csv"
    people.write_text("person_id,name\np1,赵小红\np2,王\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _ = run_cli(capsys, "classify", "--detector", "pii.person_name", "--input", str(records),
                      "--output", str(out), "--roster", str(people), "--threshold", "0.99")
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    m3 = rows[2]
    # offsets are characters of the ORIGINAL text, although normalisation dropped the spaces
    assert m3["spans"] == [{"start": 7, "end": 12, "label": "PER.roster"}]
    assert RECORDS[2]["text"][7:12] == "赵 小 红"
    assert (m3["score"], m3["predicted"]) == (1.0, True)
    assert [r["spans"] for r in rows[:2] + rows[3:]] == [[], [], []]


@pytest.mark.parametrize(
    ("content", "detector", "message"),
    [
        ('{"text": "ok"}\nnot json\n', "clf.offensive", "in.jsonl:2: invalid JSON"),
        ('{"id": 1}\n', "clf.offensive", "in.jsonl:1: text: expected an object with a string `text`"),
        ('{"text": "ok"}\n', "clf.nope", "unknown detector 'clf.nope'"),
        ('{"text": "ok"}\n', "lexicon", "'lexicon' is not a classifier"),
    ],
    ids=["bad-json", "no-text", "unknown-detector", "not-a-classifier"],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path: Path, content: str, detector: str,  # type: ignore[no-untyped-def]
                                          message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    code, err = run_cli(capsys, "classify", "--detector", detector, "--input", str(path),
                        "--output", str(tmp_path / "out.jsonl"))
    assert code == 2
    assert err.count("\n") == 1
    assert message in err
