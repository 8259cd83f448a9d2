"""Payments at scale: seconds to validate and analyse 10,000,000 payments with all eight typologies.

The bundle is generated with numpy straight into Arrow (no Python loop over rows): 20,000
officials, each with relatives, friends and managed parties; payments both ways, group
packets with several claims, decisions and elections, a few hundred thousand messages.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline.contracts import BundleTables, Trigger
from redline.payments.frame import PaymentFrame, frame_of
from redline.registry import RECORD_ANALYZERS

N_PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", 10_000_000))
N_OFFICIALS = 20_000
TZ = pa.timestamp("us", tz="Asia/Shanghai")
START_US = 1_451_577_600_000_000  # 2016-01-01T00:00:00+08:00
SPAN_US = 2 * 365 * 86_400_000_000


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def build(n: int = N_PAYMENTS, seed: int = 1) -> BundleTables:
    """A synthetic bundle with `n` payments (see the module docstring)."""
    rng = np.random.default_rng(seed)
    k = N_OFFICIALS
    # People: officials O*, relatives F* (2 each), friends R* (5 each), managed parties B* (3 each).
    roles = {"O": (k, True), "F": (2 * k, False), "R": (5 * k, False), "B": (3 * k, False)}
    people = pa.concat_tables([
        pa.table({"person_id": _ids(p, np.arange(m)), "name": _ids(f"姓名{p}", np.arange(m)),
                  "unit": _ids("单位", np.arange(m) % 500), "post": pa.nulls(m, pa.string()),
                  "is_official": pa.array(np.full(m, off)), "external": pa.array(np.full(m, not off)),
                  "start_date": pa.nulls(m, pa.date32()), "end_date": pa.nulls(m, pa.date32())})
        for p, (m, off) in roles.items()
    ])
    officials = np.arange(k)
    relations = pa.concat_tables([
        pa.table({"person_id": _ids("O", np.repeat(officials, 2)), "other_id": _ids("F", np.arange(2 * k)),
                  "relation": pa.array(["family"] * 2 * k)}),
        pa.table({"person_id": _ids("O", np.repeat(officials, 3)), "other_id": _ids("B", np.arange(3 * k)),
                  "relation": pa.array(["managed"] * 3 * k)}),
    ])
    relations = relations.append_column("since", pa.nulls(relations.num_rows, pa.date32()))
    relations = relations.append_column("until", pa.nulls(relations.num_rows, pa.date32()))
    # Payments: pick an official and a counterparty class; direction depends on the class.
    o = rng.integers(0, k, n)
    # family, friend, managed (rare: the leads), colleague, stranger
    cls = rng.choice(5, n, p=[0.35, 0.35, 0.002, 0.2, 0.098])
    other_num = np.select(
        [cls == 0, cls == 1, cls == 2, cls == 3],
        [o * 2 + rng.integers(0, 2, n), o * 5 + rng.integers(0, 5, n), o * 3 + rng.integers(0, 3, n),
         rng.integers(0, k, n)],
        rng.integers(0, 5 * k, n),
    )
    prefix = np.array(["F", "R", "B", "O", "R"])[cls]
    other = pc.binary_join_element_wise(pa.array(prefix), pc.cast(pa.array(other_num), pa.string()), "")
    official = _ids("O", o)
    inbound = (rng.random(n) < 0.6) | (cls == 2)  # managed parties only ever pay in
    payer = pc.if_else(pa.array(inbound), other, official)
    payee = pc.if_else(pa.array(inbound), official, other)
    packet = rng.random(n) < 0.7
    lucky = np.array([6600, 8800, 10000, 16800, 20000])
    transfer_fen = np.minimum(np.exp(rng.normal(9.2, 1.0, n)).astype(np.int64) + 100, 5_000_000)  # median ~100 yuan
    fen = np.where(packet, np.where(rng.random(n) < 0.4, lucky[rng.integers(0, 5, n)], rng.integers(1, 20000, n)),
                   transfer_fen)
    t = START_US + np.sort(rng.integers(0, SPAN_US, n))
    # Every 5 consecutive packet rows of colleagues form one group packet in a unit group.
    group_pkt = packet & (cls == 3)
    pkt_ids = _ids("K", np.arange(n) // 5)
    conv = pc.if_else(pa.array(group_pkt), _ids("G", o % 500),
                      pc.binary_join_element_wise("dm:", payer, "|", payee, ""))
    status = np.where(rng.random(n) < 0.01, "returned", "paid")
    payments = pa.table({
        "payment_id": _ids("P", np.arange(n)), "time": pc.cast(pa.array(t), TZ), "payer": payer, "payee": payee,
        "amount_fen": pa.array(fen, pa.int64()), "kind": pa.array(np.where(packet, "red_packet", "transfer")),
        "channel": pa.array(np.where(packet, "wechat", "alipay")), "conversation": conv,
        "memo": pa.nulls(n, pa.string()), "status": pa.array(status),
        "packet_id": pc.if_else(pa.array(group_pkt), pkt_ids, pa.nulls(n, pa.string())),
    })
    n_ev = 40_000
    ev_o = rng.integers(0, k, n_ev)
    events = pa.table({
        "event_id": _ids("E", np.arange(n_ev)),
        "date": pc.cast(pc.cast(pa.array(START_US + rng.integers(0, SPAN_US, n_ev)), TZ), pa.date32()),
        "kind": pa.array(rng.choice(np.array(["bid", "approval", "inspection", "election"]), n_ev)),
        "unit": _ids("单位", ev_o % 500), "person_id": _ids("O", ev_o),
        "other_id": _ids("B", ev_o * 3 + rng.integers(0, 3, n_ev)),
    })
    n_msg = 300_000
    words = np.array(["收到", "好的", "明天开会", "扫雷开始", "新年快乐", "辛苦了"])
    messages = pa.table({
        "id": _ids("M", np.arange(n_msg)), "time": pc.cast(pa.array(START_US + rng.integers(0, SPAN_US, n_msg)), TZ),
        "conversation": _ids("G", rng.integers(0, 500, n_msg)), "sender": _ids("O", rng.integers(0, k, n_msg)),
        "type": pa.array(["text"] * n_msg), "text": pa.array(words[rng.integers(0, len(words), n_msg)]),
        "attachment": pa.nulls(n_msg, pa.string()),
    })
    groups = pa.table({"group_id": _ids("G", np.arange(500)), "name": _ids("工作群", np.arange(500))})
    memberships = pa.table({"group_id": _ids("G", officials % 500), "person_id": _ids("O", officials)})
    return BundleTables(people=people, relations=relations, groups=groups, memberships=memberships,
                        messages=messages, payments=payments, events=events)


def run() -> dict[str, Any]:
    """Figures: seconds to build the frame and to run each typology, and the total."""
    started = time.perf_counter()
    tables = build()
    generated = time.perf_counter() - started
    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    frame: PaymentFrame = frame_of(tables)
    frame_s = time.perf_counter() - t0
    per: dict[str, float] = {}
    per_cpu: dict[str, float] = {}
    alerts: dict[str, int] = {}
    for key, cls in RECORD_ANALYZERS.items():
        if not key.startswith("payments."):
            continue
        t1, c1 = time.perf_counter(), time.process_time()
        found = cls().analyze(tables, [Trigger(rule_id=key, label=f"{key}#0", config=cls.Config())])
        per[key] = round(time.perf_counter() - t1, 2)
        per_cpu[key] = round(time.process_time() - c1, 2)
        alerts[key] = len(found)
    total = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {
        "payments": tables.payments.num_rows,
        "valid_payments": frame.n_payments,
        "rejected": len(frame.rejected),
        "officials": N_OFFICIALS,
        "cores": os.cpu_count(),
        "generate_seconds": round(generated, 2),
        "frame_seconds": round(frame_s, 2),
        "frame_steps": frame.timings,
        "frame_steps_cpu": frame.cpu_timings,
        "typology_seconds": per,
        "typology_cpu_seconds": per_cpu,
        "alerts": alerts,
        "analyse_seconds": round(total, 2),
        "analyse_cpu_seconds": round(cpu, 2),  # all DuckDB threads; wall time depends on machine load
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "payments_per_second": round(tables.payments.num_rows / total),
        "target_seconds": 60,
    }
