"""End to end: the shipped packs, run through the CLI over the demo county, find the planted cases.

Payment cases must raise an alert of each expected typology that cites the case's payments,
and no alert may cite a near-miss payment. Group cases must raise a `groups audit` finding
of their kind about their group and person; near-misses none. Text cases must be screened
into their category; the 保密工作会议 notice must not be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from redline.cli import main


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def alerts(small_demo, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("alerts") / "alerts.jsonl"
    main(["payments", "analyze", str(small_demo.result.bundle_path), "--output", str(out)])
    return _jsonl(out)


@pytest.fixture(scope="module")
def screened(small_demo, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("screen") / "findings.jsonl"
    main(["screen", "--input", str(small_demo.result.bundle_path / "messages.jsonl"), "--output", str(out)])
    return _jsonl(out)


@pytest.fixture(scope="module")
def audit(small_demo, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("audit") / "findings.jsonl"
    main(["groups", "audit", str(small_demo.result.bundle_path), "--output", str(out)])
    return _jsonl(out)


def _payment_cases(planted: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, typology) for key, case in planted["cases"].items()
            for typology in case["expected"].get("typologies", [])]


def test_every_planted_payment_case_raises_its_typologies(small_demo, alerts) -> None:
    missed = []
    for key, typology in _payment_cases(small_demo.planted):
        ids = set(small_demo.planted["cases"][key]["payment_ids"])
        if not any(a["typology"] == typology and ids & set(a["payment_ids"]) for a in alerts):
            missed.append((key, typology))
    assert missed == []


def test_no_alert_cites_a_near_miss_payment(small_demo, alerts) -> None:
    near = {i for miss in small_demo.planted["near_misses"].values() for i in miss.get("payment_ids", [])}
    assert near  # the family packet and the returned packet
    assert [a for a in alerts if near & set(a["payment_ids"])] == []


@pytest.mark.parametrize(("case", "category"), [
    ("classified_notice", "secrets"), ("owner_flattery", "flattery"), ("packet_gambling", "gambling"),
    ("vote_buying", "vote_buying"), ("weibo_rumour", "rumour"),
], ids=lambda v: str(v))
def test_text_cases_are_screened_into_their_category(small_demo, screened, case: str, category: str) -> None:
    ids = set(small_demo.planted["cases"][case]["message_ids"])
    assert any(f["message_id"] in ids and f["category"] == category for f in screened)


def test_repost_of_the_rebuttal_raises_nothing(small_demo, screened) -> None:
    ids = set(small_demo.planted["near_misses"]["weibo_rebuttal"]["message_ids"])
    assert [f for f in screened if f["message_id"] in ids] == []


def test_the_officials_repost_is_flagged_on_his_own_words(small_demo, screened) -> None:
    # the quoted rumour is context: every hit on the repost lies inside the official's own comment
    case = small_demo.planted["cases"]["weibo_rumour"]
    messages = {m["id"]: m for m in small_demo.table("messages").to_pylist()}
    [post_id] = case["message_ids"]
    post = messages[post_id]
    hits = [f for f in screened if f["message_id"] == post_id]
    assert hits
    for hit in hits:
        assert post["text"][hit["start"]:hit["end"]] == hit["evidence"]
        assert hit["evidence"] not in orjson.loads(post["quote"])["text"]


def test_secrecy_meeting_notice_is_not_a_secret(small_demo, screened) -> None:
    [mid] = small_demo.planted["near_misses"]["secrecy_meeting"]["message_ids"]
    assert [f for f in screened if f["message_id"] == mid] == []


def _group_cases(planted: dict[str, Any]) -> list[str]:
    return [key for key, case in planted["cases"].items() if case["expected"].get("analyzers", [""])[0].startswith("groups.")]


def test_every_planted_group_case_raises_its_kind(small_demo, audit) -> None:
    missed = []
    for key in _group_cases(small_demo.planted):
        case = small_demo.planted["cases"][key]
        groups = {case["group_id"]} if "group_id" in case else {m["old_unit_group"] for m in case["members"]}
        people = set(case.get("person_ids", [])) | ({case["person_id"]} if "person_id" in case else set())
        found = [f for f in audit if f["kind"] == case["expected"]["kind"] and f["group_id"] in groups
                 and (not people or f["person_id"] in people)]
        if not found:
            missed.append(key)
    assert missed == []
    assert len(_group_cases(small_demo.planted)) == 8


def test_group_near_misses_stay_clean(small_demo, audit) -> None:
    misses = small_demo.planted["near_misses"]
    moved = misses["moved_and_left"]["person_id"]
    liaison = misses["liaison_externals"]["group_id"]
    assert [f for f in audit if f["kind"] == "stale_member" and f["person_id"] == moved] == []
    assert [f for f in audit if f["kind"] == "external_member" and f["group_id"] == liaison] == []
    secret = misses["secrecy_meeting"]["message_ids"][0]
    assert [f for f in audit if secret in f["message_ids"]] == []
