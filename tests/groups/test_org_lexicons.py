"""The organisation's term lists reach the group analyzers' text probes, as they reach screening.

End to end through `redline.api.scan_bundle` and `redline groups audit` with an overrides
file: adding a term to the `off-topic` list makes `groups.off_topic` count the messages that
use it; removing one makes it stop. A list that only the organisation's own folder holds
resolves through the plan too.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow as pa
import pytest

from redline import api
from redline.bundle import write_bundle
from redline.cli import main
from redline.contracts import Trigger
from redline.errors import PackError
from redline.groups.off_topic import OffTopic, OffTopicConfig
from redline.groups.textscan import TextProbing
from redline.rules.compile import record_plan
from redline.rules.load import load_packs, resolve_pack_paths
from redline.scan.records import analyzer_for

PACK = "work-group-conventions"  # WG-03: lexicon off-topic + groups.off_topic
WORK = "请各单位周五前报送秋粮收购进度"
TABLES = ("people", "relations", "groups", "memberships", "messages", "payments", "events")


def _bundle(kit, tmp_path: Path, chat: str) -> Path:  # type: ignore[no-untyped-def]
    """A task group of 30 messages, 10 of them (33%, over WG-03's 20%) saying `chat`."""
    k = kit
    msgs = [k.msg(f"w{i:02d}", f"2026-03-02T09:{i:02d}:00+08:00", "g", "p1", WORK) for i in range(20)]
    msgs += [k.msg(f"c{i:02d}", f"2026-03-02T10:{i:02d}:00+08:00", "g", "p2", chat) for i in range(10)]
    t = k.make(people=[k.person("p1", "张三"), k.person("p2", "李四")],
               groups=[k.group("g", "秋粮收购工作群", "p1", type_="task")],
               memberships=[k.member("g", "p1", "财政局-张三"), k.member("g", "p2", "财政局-李四")],
               messages=msgs)
    out = tmp_path / "bundle"
    write_bundle(out, {name: getattr(t, name) for name in TABLES})
    return out


def _overrides(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _off_topic(findings: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(f.subject_id, f.facts["off_topic"]) for f in findings if f.detector == "groups.off_topic"]


@pytest.mark.parametrize(("chat", "overrides", "before", "after"), [
    ("周末一起遛狗吗", "lexicons:\n  off-topic: {add: [遛狗]}\n", [], [("g", 10)]),
    ("晚上打麻将三缺一", "lexicons:\n  off-topic: {remove: [打麻将]}\n", [("g", 10)], []),
], ids=["added-term", "removed-term"])
def test_overrides_change_off_topic_through_the_api(kit, tmp_path, chat, overrides, before, after) -> None:  # type: ignore[no-untyped-def]
    bundle = _bundle(kit, tmp_path, chat)
    assert _off_topic(api.scan_bundle(bundle, packs=PACK)) == before
    org = _overrides(tmp_path, overrides)
    assert _off_topic(api.scan_bundle(bundle, packs=PACK, overrides=org)) == after


def test_groups_audit_reads_the_overrides(kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bundle = _bundle(kit, tmp_path, "周末一起遛狗吗")
    org = _overrides(tmp_path, "lexicons:\n  off-topic: {add: [遛狗]}\n")

    def kinds(*extra: str) -> list[str]:
        out = tmp_path / "f.jsonl"
        main(["groups", "audit", str(bundle), "--packs", PACK, "--output", str(out), *extra])
        return [orjson.loads(line)["kind"] for line in out.read_bytes().splitlines()]

    assert "off_topic" not in kinds()
    assert "off_topic" in kinds("--overrides", str(org))


def test_an_org_folder_list_resolves_through_the_plan(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "org-chat.txt").write_text("# title: 本单位的闲聊用语\n遛狗\n", encoding="utf-8")
    packset = load_packs(resolve_pack_paths(PACK), lexicon_dirs=[folder]).raise_on_error()
    trigger = Trigger("WG-03", "WG-03#probe", OffTopicConfig(detectors={"lexicon": {"lexicon": ["org-chat", "off-topic"]}}))
    texts = pa.array(["周末一起遛狗吗", WORK, "晚上打麻将三缺一"])
    plan = record_plan({"groups.off_topic": [trigger]}, lexicons=packset.lexicons)
    analyzer = analyzer_for(OffTopic, plan)
    assert isinstance(analyzer, TextProbing)
    assert [r["evidence"] for r in analyzer.scan(texts, trigger).to_pylist()] == ["遛狗", "打麻将"]
    with pytest.raises(PackError, match="unknown lexicon 'org-chat'"):  # the shipped lists alone lack it
        record_plan({"groups.off_topic": [trigger]})
