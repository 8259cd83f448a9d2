"""clf.conduct's `alongside:` — a second category, only beside a lead in another one (real engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.classifiers import conduct_alongside, conduct_files
from redline.detectors.classifiers.conduct import ConductDetector
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs
from redline.rules.plan import ScanPlan
from redline.scan.engine import detect_columns, reconcile, scan_batch
from redline.text.normalize import normalize_batch

# a gift collected for a superior, and the office misused to deliver it: gifts and conduct
BOTH = "所长让我们随礼，上班时间开公车去他家喝酒"
# the same misuse of office beside nothing a rule of another category catches
ALONE_IN_CONDUCT = "所长让我们凑份子，上班时间开公车去他家喝酒"

PACK = """\
pack: test-alongside
title: test
issued_by: test
year: 2017
version: "1"
source: {{title: t, publisher: p, date: 2017-01-01, quote: q}}
rules:
  - id: TA-01
    title: gifts words
    text: 不得收送红包。
    category: gifts
    severity: medium
    when:
      - regex: {{pattern: "随礼", score: 0.5}}
  - id: TA-02
    title: model conduct
    text: 模型线索。
    category: conduct
    severity: low
    when:
      - clf.conduct: {{category: conduct{extra}}}
"""


def _plan(tmp_path: Path, extra: str) -> ScanPlan:
    path = tmp_path / "test-alongside.yaml"
    path.write_text(PACK.format(extra=extra), encoding="utf-8")
    loaded = load_packs([path])
    assert not loaded.errors, loaded.errors
    return compile_plan(loaded.packs)


def _conduct(text: str) -> float:
    model = conduct_files.active().model
    return float(model.full_scores(list(normalize_batch([text]).texts))[0, model.categories.index("conduct")])


@pytest.fixture(scope="module")
def threshold() -> float:
    """The lead threshold of the test rule, and a check that the messages sit where the test needs
    them: both score under it in conduct (the ordinary lead misses them), above zero."""
    lead = 0.5
    for text in (BOTH, ALONE_IN_CONDUCT):
        assert 0.0 < _conduct(text) < lead, text
    return lead


def _rules(plan: ScanPlan, texts: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {t: set() for t in texts}
    for f in scan_batch(plan, texts):
        found[texts[int(f.subject_id)]].add(f.rule_id)
    return found


def test_a_second_category_is_led_only_beside_a_lead_in_another(tmp_path: Path, threshold: float) -> None:
    # the alongside threshold sits under both messages' conduct scores
    share = min(_conduct(BOTH), _conduct(ALONE_IN_CONDUCT)) / threshold / 2
    plan = _plan(tmp_path, f", threshold: {threshold}, alongside: {{share: {share:.6f}}}")
    found = _rules(plan, [BOTH, ALONE_IN_CONDUCT])
    assert found[BOTH] == {"TA-01", "TA-02"}
    assert found[ALONE_IN_CONDUCT] == set()  # no lead of its own to stand beside: no message added
    lead = next(f for f in scan_batch(plan, [BOTH]) if f.rule_id == "TA-02")
    assert "second category beside a lead" in lead.reason_en
    assert "第二个类别" in lead.reason
    assert "模型 clf.conduct" in lead.reason
    assert lead.evidence == BOTH[lead.start:lead.end]


@pytest.mark.parametrize("extra", ["", ", alongside: {share: 1.0, clauses: true}"])
def test_without_a_low_enough_share_nothing_is_added(tmp_path: Path, extra: str) -> None:
    strict = 0.99  # above the message's and each clause's conduct score
    assert max(_conduct(BOTH), *map(_conduct, BOTH.split("，"))) < strict
    found = _rules(_plan(tmp_path, f", threshold: {strict}{extra}"), [BOTH])
    assert found[BOTH] == {"TA-01"}


def test_a_lead_in_the_same_category_is_not_a_reason(tmp_path: Path, threshold: float) -> None:
    """A conduct rule's hit does not let the conduct model lead again at the lowered threshold."""
    pack_extra = f", threshold: {threshold}, alongside: {{share: 0.01, clauses: true}}"
    path = tmp_path / "same.yaml"
    path.write_text(PACK.format(extra=pack_extra).replace("category: gifts", "category: conduct"), encoding="utf-8")
    loaded = load_packs([path])
    assert not loaded.errors, loaded.errors
    found = _rules(compile_plan(loaded.packs), [BOTH])
    assert found[BOTH] == {"TA-01"}


@pytest.mark.parametrize("alongside", ["{share: 0.0}", "{share: -0.1}", "{share: 1.5}", "0.5", "{}",
                                       "{share: 0.5, by_clause: true}"])
def test_the_setting_is_schema_checked(tmp_path: Path, alongside: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PACK.format(extra=f", alongside: {alongside}"), encoding="utf-8")
    errors = load_packs([path]).errors
    assert errors
    assert "alongside" in str(errors[0])


@pytest.mark.parametrize("by_clause", [True, False])
def test_the_second_breach_is_read_in_its_own_clause(tmp_path: Path, threshold: float, by_clause: bool) -> None:
    """The gift's words weigh against conduct in the whole message; its second clause alone
    scores high. A share between the two finds it only when clauses are read."""
    second_clause = BOTH.split("，", 1)[1]
    assert _conduct(BOTH) < 0.9 * threshold <= _conduct(second_clause)
    plan = _plan(tmp_path, f", threshold: {threshold}, alongside: {{share: 0.9, clauses: {str(by_clause).lower()}}}")
    leads = [f for f in scan_batch(plan, [BOTH]) if f.rule_id == "TA-02"]
    assert bool(leads) is by_clause
    if leads:
        start = BOTH.index(second_clause)
        assert start <= leads[0].start < leads[0].end <= len(BOTH)
        assert leads[0].score == pytest.approx(_conduct(second_clause), abs=1e-3)


@pytest.mark.parametrize(("text", "expected"), [
    ("所长让我们随礼，上班时间开公车去他家喝酒", ["所长让我们随礼", "上班时间开公车去他家喝酒"]),
    ("好的，收到", []),  # pieces under four characters say too little alone
    ("一句话没有标点", []),  # one clause: the whole message is it
    ("文件先发你 别外传！明天就公布", ["文件先发你", "明天就公布"]),
])
def test_clauses_are_the_pieces_between_punctuation(text: str, expected: list[str]) -> None:
    pieces, owner, starts = conduct_alongside.clauses([text], [0])
    assert pieces == expected
    assert all(text[s:s + len(p)] == p for p, s in zip(pieces, starts, strict=True))
    assert set(owner) <= {0}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="上班喝酒随礼所长a1 ，。！？、\n", min_size=0, max_size=12), min_size=1, max_size=5))
def test_clauses_of_a_normalised_batch_are_pieces_of_its_texts(raw: list[str]) -> None:
    batch = normalize_batch(raw)
    texts = list(batch.texts)
    pieces, owner, starts = conduct_alongside.clauses(texts, list(range(len(texts))), batch)
    for piece, row, start in zip(pieces, owner, starts, strict=True):
        assert texts[row][start:start + len(piece)] == piece
        assert len(piece) >= conduct_alongside.MIN_CLAUSE
    for row in set(owner):  # a message cut at all is cut in two or more
        assert owner.count(row) >= 2 or len(texts[row]) > len(pieces[owner.index(row)])


def test_the_scans_scores_are_reused_and_equal_a_fresh_reading(tmp_path: Path, threshold: float) -> None:
    """Reconciling the batch just scanned reads the scan's scores; any other batch (or a lost
    cache) is scored afresh, with the same leads."""
    plan = _plan(tmp_path, f", threshold: {threshold}, alongside: {{share: 0.05}}")
    batch = normalize_batch([BOTH, ALONE_IN_CONDUCT, "下午三点开会"])
    detector = next(d for d in plan.detectors if isinstance(d, ConductDetector))
    parts = detect_columns(plan.detectors, batch)
    assert detector._scored["last"][0] is batch.texts  # the scan kept its scores for this batch
    reused = reconcile(plan, batch, parts)
    detector._scored.clear()
    fresh = reconcile(plan, batch, parts)
    leads = [[h for p in r if p.detector == "clf.conduct" for h in p.to_hits()] for r in (reused, fresh)]
    assert leads[0] == leads[1]
    assert [h.row for h in leads[0]] == [0]


def _reference_cuts(text: str, original: str, starts: list[int], ends: list[int]) -> list[int]:
    """Cut where the original between two kept characters holds a mark (one row, by hand)."""
    marks = set("，,。；;！!？?、 \t\n\r\u3000")
    return [i for i in range(1, len(text)) if any(c in marks for c in original[ends[i - 1]:starts[i]])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="上班喝酒随礼所长a1 ，。！？、\n\u200b", min_size=0, max_size=14), min_size=1, max_size=5))
def test_vectorised_cuts_equal_a_row_by_row_reading(raw: list[str]) -> None:
    batch = normalize_batch(raw)
    if batch.src_starts is None:
        return  # nothing dropped: the marks are still in the texts
    rows = list(range(len(raw)))
    got = conduct_alongside._cuts(batch, batch.src_starts, rows)
    for row in rows:
        om = batch.offsets(row)
        assert got[row] == _reference_cuts(batch.texts[row], raw[row], om.starts.tolist(), om.ends.tolist())


def test_a_batch_the_first_stage_passes_nothing_of_gets_no_alongside_lead(tmp_path: Path, threshold: float) -> None:
    """A rule's hit on a message the model's first stage never passes: nothing to stand beside."""
    plan = _plan(tmp_path, f", threshold: {threshold}, alongside: {{share: 0.01}}")
    short = "随礼"  # the regex rule hits; too short for the model
    detector = next(d for d in plan.detectors if isinstance(d, ConductDetector))
    assert not detector.loaded.model.passing(list(normalize_batch([short]).texts)).size
    assert _rules(plan, [short])[short] == {"TA-01"}
