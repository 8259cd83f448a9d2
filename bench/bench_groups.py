"""Work groups at scale: seconds to audit 1,000 groups, 50,000 people and 5,000,000 messages
with all ten group checks, plus the checks' quality on the demo county (planted cases found,
findings on ordinary groups).

The organisation is generated with numpy straight into Arrow (no Python loop over rows):
200 units, department / leadership / task (a tenth with daily reports) / liaison / social
groups and small cross-unit private groups; messages drawn from everyday replies and
generated work chat (one distinct text per 7.5 messages, as in the demo county) with rare
violations (密级 marks, 文号, praise of the owner, off-topic chat, canvassing), direct
chats, red packets and personnel events.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench import chatgen
from redline.contracts import BundleTables, Finding, Trigger
from redline.registry import RECORD_ANALYZERS

N_MESSAGES = int(os.environ.get("BENCH_GROUP_MESSAGES", 5_000_000))
N_PEOPLE = 50_000
N_UNITS = 200
TZ = pa.timestamp("us", tz="Asia/Shanghai")
START_US = 1_696_089_600_000_000  # 2023-10-01T00:00:00+08:00
DAYS = 182

EVERYDAY = (
    "收到", "好的", "收到，马上落实", "明白", "已完成", "辛苦了", "谢谢大家", "[图片]", "OK",
    "请各单位周五前报送季度工作总结", "通知：明天上午9点在三楼会议室召开安全生产专题会议",
    "今天的工作进展：项目推进情况已完成80%", "材料已经发到邮箱，请查收", "好的，我这就处理",
    "【日报】今日完成秋粮收购120吨，累计3400吨", "今日进展：入户走访35户，发现问题2个已整改",
    "下午的调度会改到二楼", "请大家注意查看文件要求", "这个表格格式要统一", "已转发科室",
)
RARE = (
    "机密★1年 关于调整领导班子的请示，先发群里大家看看",   # secrets
    "县委办〔2023〕12号文件内容如下",                     # 文号
    "书记高瞻远瞩，讲得太好了",                           # praise (addressed by title)
    "周末一起打麻将，三缺一",                             # off topic
    "今天涨停了，炒股赚了一笔",                           # off topic
    "这次民主推荐，关键一票请投给老王",                   # canvassing
)


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def build(n_messages: int = N_MESSAGES, seed: int = 3) -> BundleTables:
    """A synthetic organisation with exactly 1,000 groups and `n_messages` messages."""
    rng = np.random.default_rng(seed)
    pid = np.arange(N_PEOPLE)
    unit = pid % N_UNITS
    external = pid >= N_PEOPLE - 2_500  # the last 2,500: businesses and other outsiders
    ended = rng.random(N_PEOPLE) < 0.01
    people = pa.table({
        "person_id": _ids("P", pid), "name": _ids("姓名", pid),
        "unit": pc.if_else(pa.array(external), _ids("公司", pid % 500), _ids("单位", unit)),
        "post": pa.array(np.where(pid % 50 == 0, "局长", "科员")),
        "is_official": pa.array(~external), "external": pa.array(external),
        "start_date": pa.nulls(N_PEOPLE, pa.date32()),
        "end_date": pa.array(np.where(ended, np.datetime64("2023-11-30"), np.datetime64("NaT")).astype("datetime64[D]"),
                             pa.date32()),
    })
    internal = pid[~external]
    # 1,000 groups: (count, type, size, registered share)
    kinds = [(200, "department", 60), (100, "leadership", 8), (300, "task", 30), (100, "liaison", 30),
             (200, "social", 15), (100, "other", 5)]
    gtype, gsize = [], []
    for count, typ, size in kinds:
        gtype += [typ] * count
        gsize += [size] * count
    n_groups = len(gtype)
    sizes = np.array(gsize)
    members = np.empty(int(sizes.sum()), dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    for g in range(n_groups):  # 1,000 small draws; memberships are tens of thousands of rows
        lo, hi = offsets[g], offsets[g + 1]
        if gtype[g] == "department":
            u = g % N_UNITS
            members[lo:hi] = rng.choice(internal[unit[internal] == u], hi - lo, replace=False)
        elif gtype[g] == "liaison":
            members[lo:hi - 10] = rng.choice(internal, hi - lo - 10, replace=False)
            members[hi - 10:hi] = rng.choice(pid[external], 10, replace=False)
        else:
            members[lo:hi] = rng.choice(internal, hi - lo, replace=False)
    group_of = np.repeat(np.arange(n_groups), sizes)
    registered = np.isin(np.array(gtype), ["department", "leadership", "task", "liaison"]) & (rng.random(n_groups) > 0.02)
    daily = (np.array(gtype) == "task") & (np.arange(n_groups) % 3 == 0)
    gids = _ids("G", np.arange(n_groups))
    groups = pa.table({
        "group_id": gids, "name": _ids("工作群", np.arange(n_groups)), "type": pa.array(gtype),
        "owner_id": _ids("P", members[offsets[:-1]]), "registered": pa.array(registered),
        "classification": pa.array(["非涉密"] * n_groups), "daily_report": pa.array(daily),
    })
    display = pc.binary_join_element_wise(
        pc.take(people["unit"], pa.array(members)), pc.take(people["name"], pa.array(members)), "-")
    nickname = rng.random(len(members)) < 0.01
    memberships = pa.table({
        "group_id": pc.take(gids, pa.array(group_of)), "person_id": _ids("P", members),
        "display_name": pc.if_else(pa.array(nickname), pa.scalar("老王"), display),
        "joined": pa.array(np.full(len(members), np.datetime64("2023-01-01", "D")), pa.date32()),
        "left": pa.nulls(len(members), pa.date32()),
    })
    # Messages: 90 % in groups (a group by its size, a sender among its members), 10 % direct.
    n = n_messages
    in_group = rng.random(n) < 0.9
    g = rng.choice(n_groups, n, p=sizes / sizes.sum())
    sender_idx = offsets[g] + (rng.random(n) * sizes[g]).astype(np.int64)
    sender = members[sender_idx]
    other = internal[rng.integers(0, len(internal), n)]
    dm = pc.binary_join_element_wise(
        "dm:", _ids("P", np.minimum(sender, other)), "|", _ids("P", np.maximum(sender, other)), "")
    conversation = pc.if_else(pa.array(in_group), pc.take(gids, pa.array(g)), dm)
    day = rng.integers(0, DAYS, n)
    t = START_US + day * 86_400_000_000 + rng.integers(8 * 3600, 20 * 3600, n) * 1_000_000
    # Text diversity as in the demo county: about one distinct text per 7.5 messages. Half the
    # messages are everyday short replies; the rest come from generated work chat (bench.chatgen).
    generated = chatgen.messages(max(n // 5, 1), chatgen.org_terms(50), list(RARE), risky_share=0.01)
    pool = pa.array(list(EVERYDAY + RARE) + generated)
    roll = rng.random(n)
    text_idx = np.where(roll < 0.002, len(EVERYDAY) + rng.integers(0, len(RARE), n),
                        np.where(roll < 0.5, rng.integers(0, len(EVERYDAY), n),
                                 len(EVERYDAY) + len(RARE) + rng.integers(0, len(generated), n)))
    order = np.argsort(t, kind="stable")
    messages = pa.table({
        "id": _ids("m", np.arange(n)), "time": pa.array(t[order], TZ),
        "conversation": conversation.take(pa.array(order)), "sender": _ids("P", sender[order]),
        "type": pa.array(np.full(n, "text")), "text": pool.take(pa.array(text_idx[order])),
        "attachment": pa.nulls(n, pa.string()),
    })
    m = 200_000
    payer, payee = internal[rng.integers(0, len(internal), m)], internal[rng.integers(0, len(internal), m)]
    payments = pa.table({
        "payment_id": _ids("pay", np.arange(m)),
        "time": pa.array(START_US + rng.integers(0, DAYS * 86_400_000_000, m), TZ),
        "payer": _ids("P", payer), "payee": _ids("P", payee),
        "amount_fen": pa.array(rng.integers(100, 20_000, m)), "kind": pa.array(np.full(m, "red_packet")),
        "channel": pa.array(np.full(m, "wechat")), "conversation": pa.nulls(m, pa.string()),
        "memo": pa.nulls(m, pa.string()), "status": pa.array(np.full(m, "received")),
        "packet_id": pa.nulls(m, pa.string()),
    })
    k = 300
    events = pa.table({
        "event_id": _ids("E", np.arange(k)),
        "date": pa.array((np.datetime64("2023-10-01") + rng.integers(30, DAYS, k)).astype("datetime64[D]"), pa.date32()),
        "kind": pa.array(np.where(np.arange(k) % 2 == 0, "promotion", "election")),
        "unit": _ids("单位", rng.integers(0, N_UNITS, k)), "person_id": _ids("P", internal[rng.integers(0, len(internal), k)]),
        "other_id": pa.nulls(k, pa.string()),
    })
    relations = pa.table({"person_id": pa.array([], pa.string()), "other_id": pa.array([], pa.string()),
                          "relation": pa.array([], pa.string()), "since": pa.array([], pa.date32()),
                          "until": pa.array([], pa.date32())})
    return BundleTables(people, relations, groups, memberships, messages, payments, events)


def _audit(tables: BundleTables) -> tuple[dict[str, float], dict[str, int]]:
    seconds, counts = {}, {}
    for key, cls in sorted(RECORD_ANALYZERS.items()):
        if not key.startswith("groups."):
            continue
        started = time.perf_counter()
        found = cls().analyze(tables, [Trigger(key, f"{key}#bench", cls.Config())])
        seconds[key] = round(time.perf_counter() - started, 2)
        counts[key] = len(found)
    return seconds, counts


def demo_quality() -> dict[str, Any]:
    """The packs' group rules on the demo county: planted cases found, findings elsewhere."""
    from redline.bundle import read_bundle
    from redline.cli.groups import audit_tables, group_triggers
    from redline.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp))
        tables = read_bundle(demo.bundle_path).tables
    triggers, plan = group_triggers("all", None, defaults=False)
    findings = audit_tables(tables, triggers, plan)
    cases = demo.planted["cases"]
    expected = {name: c for name, c in cases.items()
                if any(a.startswith("groups.") for a in c.get("expected", {}).get("analyzers", []))}
    planted_groups = {c["group_id"] for c in cases.values() if c.get("group_id")}
    planted_groups |= set(cases["stale_members"]["group_ids"])
    people = set()
    for c in cases.values():
        people |= {c.get("person_id"), c.get("owner_id"), *c.get("person_ids", [])}
    found = {name: _case_found(name, c, findings) for name, c in expected.items()}
    # how close ordinary work groups come to the off-topic threshold (calibration, not a lead)
    from redline.groups.off_topic import OffTopic, OffTopicConfig

    probe = OffTopicConfig(threshold=1e-9, min_messages=1)
    from redline.rules.compile import record_plan
    from redline.scan.records import analyzer_for

    calibrate = [Trigger("x", "x#0", probe)]
    off_topic = analyzer_for(OffTopic, record_plan({OffTopic.name: calibrate}))
    shares = sorted((f.facts["share"] for f in off_topic.analyze(tables, calibrate)), reverse=True)
    ordinary = sorted(set(tables.groups["group_id"].to_pylist()) - planted_groups)
    on_ordinary = [f for f in findings if f.facts.get("group_id") in ordinary]
    unexplained = [f for f in on_ordinary if f.person_id not in people]
    return {
        "planted_group_cases": len(expected), "found": sum(found.values()), "cases": found,
        "findings": len(findings), "ordinary_groups": len(ordinary),
        "findings_on_ordinary_groups": len(on_ordinary),
        "unexplained_findings_on_ordinary_groups": len(unexplained),
        "false_alarm_rate_per_ordinary_group": round(len(unexplained) / max(len(ordinary), 1), 4),
        "off_topic_threshold": OffTopicConfig().threshold,
        "off_topic_top_shares_of_work_groups": shares[:5],
        "flattery_messages_found": sorted({f.subject_id for f in findings if f.kind == "flattery"}),
        "flattery_messages_planted": cases["owner_flattery"]["message_ids"],
    }


def _case_found(name: str, case: dict[str, Any], findings: list[Finding]) -> bool:
    kinds = {"classified_notice": "classified_content", "stale_members": "stale_member",
             "unregistered_group": "unregistered_group", "no_owner": "no_owner", "display_names": "display_name",
             "external_member": "external_member", "owner_flattery": "flattery", "daily_report_gap": "daily_report_missed"}
    mine = [f for f in findings if f.kind == kinds.get(name)]
    if name == "stale_members":
        return all(any(f.person_id == m["person_id"] and f.facts["group_id"] == m["old_unit_group"] for f in mine)
                   for m in case["members"])
    if name == "display_names":
        return all(any(f.person_id == p and f.facts["group_id"] == case["group_id"] for f in mine)
                   for p in case["person_ids"])
    who = case.get("person_id")
    return any(f.facts["group_id"] == case["group_id"] and (who is None or f.person_id == who) for f in mine)


def run() -> dict[str, Any]:
    """Build the synthetic organisation, audit it with every group check, then the demo."""
    from redline.text.normalize import normalize_batch

    started = time.perf_counter()
    normalize_batch(["预热"])  # once per process: the text engine's folding tables
    startup = time.perf_counter() - started
    started = time.perf_counter()
    tables = build()
    built = time.perf_counter() - started
    seconds, counts = _audit(tables)
    return {
        "groups": tables.groups.num_rows, "people": tables.people.num_rows,
        "memberships": tables.memberships.num_rows, "messages": tables.messages.num_rows,
        "payments": tables.payments.num_rows, "events": tables.events.num_rows,
        "startup_seconds": round(startup, 2), "build_seconds": round(built, 2),
        "audit_seconds": round(sum(seconds.values()), 2),
        "seconds_per_check": seconds, "findings_per_check": counts,
        "demo": demo_quality(),
    }
