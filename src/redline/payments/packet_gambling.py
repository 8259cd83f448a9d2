"""Red-packet gambling (红包接龙, 扫雷, 牛牛) in a group: chains and stake talk around packets.

A group packet is the rows sharing one `packet_id`; its largest claimer (手气最佳) is the
claim with the most money. In 接龙 the largest claimer must send the next packet, so a run
of packets where each sender is the previous packet's largest claimer is a game, not a gift.
Stake vocabulary in the group's messages around the packets is the second signal. Family
groups whose packets follow no such rule and carry no stake talk are custom, not gambling.
"""

from __future__ import annotations

from typing import ClassVar, cast

from pydantic import BaseModel

from redline.bundle.schema import OFFSET_US
from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights
from redline.payments.frame import US_PER_DAY, PaymentFrame
from redline.payments.lead import Lead, clamp, iso
from redline.vocab import Category, Severity

STAKE_WORDS = ("扫雷", "踩雷", "埋雷", "中雷", "雷号", "牛牛", "接龙", "庄家", "坐庄", "下注", "押注",
               "赔率", "包赔", "翻倍", "尾数", "开奖", "豹子", "手气最佳发")


class PacketGamblingWeights(Weights):
    """A packet session: a claim chain and stake talk are the signs."""

    base: float = 0.5
    chain: float = 0.25  # the largest claimer sends the next packet
    stake_talk: float = 0.2  # stake words in the talk
    count_cap: float = 0.05
    per_packet: float = 0.005


class PacketGamblingConfig(TypologyConfig):
    """How close packets must follow, how long a chain, and the stake vocabulary."""

    max_gap_minutes: int = 15
    min_links: int = 3  # sender == previous packet's largest claimer, this many times
    min_link_share: float = 0.5  # … in at least this share of the session's packets
    stake_words: tuple[str, ...] = STAKE_WORDS
    min_stake_hits: int = 2
    min_packets: int = 3
    context_minutes: int = 30  # messages this close to the session count as its talk
    max_family_share: float = 0.5  # sessions mostly among relatives without stake talk are custom
    weights: PacketGamblingWeights = PacketGamblingWeights()


class PacketGambling(PaymentAnalyzer):
    """payments.packet_gambling: 以微信红包形式进行赌博 (Fengxin)."""

    name: ClassVar[str] = "payments.packet_gambling"
    Config: ClassVar[type[BaseModel]] = PacketGamblingConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(PacketGamblingConfig, config)
        gap = config.max_gap_minutes * 60_000_000
        ctx = config.context_minutes * 60_000_000
        pattern = "|".join(w for w in config.stake_words if w) or "(?!)"
        rows = frame.rows(
            """WITH ch AS (
                 SELECT *, lag(top) OVER w AS prev_top, lag(t0) OVER w AS prev_t
                 FROM packets WINDOW w AS (PARTITION BY conv ORDER BY t0, packet_id)
               ), s AS (
                 SELECT *, sum(CASE WHEN prev_t IS NULL OR t0 - prev_t > $gap THEN 1 ELSE 0 END)
                             OVER (PARTITION BY conv ORDER BY t0, packet_id) AS session,
                        coalesce(t0 - prev_t <= $gap AND sender = prev_top, false) AS link
                 FROM ch
               ), runs AS (  -- packet runs long enough to matter; claim lists only for these
                 SELECT conv, session, count(*) AS packets, sum(link::INTEGER) AS links, min(t0) AS t_lo,
                        max(t0) AS t_hi, list(sender) AS senders, sum(total) AS total_fen,
                        list(packet_id) AS packet_ids
                 FROM s GROUP BY conv, session HAVING count(*) >= $min_packets
               ), claims AS (
                 SELECT r.conv, r.session, list(p.pid ORDER BY p.t, p.pid) AS pids,
                        list(p.payee ORDER BY p.t, p.pid) AS claimers
                 FROM (SELECT conv, session, unnest(packet_ids) AS packet_id FROM runs) r
                 JOIN pay p ON p.packet_id = r.packet_id GROUP BY ALL
               ), ses AS (
                 SELECT runs.* EXCLUDE (packet_ids), claims.pids, claims.claimers
                 FROM runs JOIN claims USING (conv, session)
               ), talk AS (
                 SELECT ses.conv, ses.session, count(m.id) AS hits, list(m.id ORDER BY m.t)[:20] AS msg_ids
                 FROM ses JOIN messages m ON m.conversation = ses.conv
                  AND m.t BETWEEN ses.t_lo - $ctx AND ses.t_hi + $ctx
                 WHERE regexp_matches(m.text, $pattern) GROUP BY ALL
               ), who AS (
                 SELECT DISTINCT conv, session, unnest(list_concat(senders, claimers)) AS person FROM ses
               ), fam AS (
                 SELECT a.conv, a.session, count(DISTINCT a.person) AS with_family FROM who a
                 JOIN who b ON a.conv = b.conv AND a.session = b.session AND a.person <> b.person
                 JOIN rel r ON r.official = a.person AND r.other = b.person AND r.relation = 'family'
                 GROUP BY ALL
               ), crowd AS (
                 SELECT w.conv, w.session, count(*) AS people, list(w.person ORDER BY w.person) AS everyone,
                        list(w.person ORDER BY w.person) FILTER (WHERE o.is_official) AS officials
                 FROM who w JOIN people o ON o.person_id = w.person GROUP BY ALL
               )
               SELECT ses.*, coalesce(talk.hits, 0) AS hits, talk.msg_ids,
                      coalesce(fam.with_family, 0) AS with_family, crowd.people, crowd.everyone, crowd.officials
               FROM ses JOIN crowd USING (conv, session) LEFT JOIN talk USING (conv, session)
               LEFT JOIN fam USING (conv, session)""",
            {"gap": gap, "ctx": ctx, "min_packets": config.min_packets, "pattern": pattern},
        )
        out = []
        for row in rows:
            chain = row["links"] >= config.min_links and row["links"] >= config.min_link_share * (row["packets"] - 1)
            talk = row["hits"] >= config.min_stake_hits
            family_share = row["with_family"] / max(row["people"], 1)
            if not (chain or talk) or (family_share >= config.max_family_share and not talk):
                continue
            w = config.weights
            base = w.base + (w.chain if chain else 0.0) + (w.stake_talk if talk else 0.0)
            score = clamp(base + min(w.count_cap, w.per_packet * row["packets"]))
            day_lo, day_hi = (row["t_lo"] + OFFSET_US) // US_PER_DAY, (row["t_hi"] + OFFSET_US) // US_PER_DAY
            group = frame.group_names.get(row["conv"], row["conv"])
            for person in row["officials"] or []:
                others = tuple(p for p in row["everyone"] if p != person)
                # Each row has one claimer, so an official's first claim names their own lead.
                own = [pid for pid, c in zip(row["pids"], row["claimers"], strict=True) if c == person]
                sent = row["senders"].count(person)
                reason = {"person": frame.name(person), "group": group, "first_date": iso(day_lo),
                          "last_date": iso(day_hi), "packets": row["packets"], "sent": sent,
                          "claims": len(row["pids"]), "total_fen": row["total_fen"], "chain": chain,
                          "links": row["links"], "talk": talk, "hits": row["hits"]}
                out.append(Lead(
                    typology="packet_gambling", category=Category.GAMBLING, person_id=person,
                    counterparty_ids=others, payment_ids=tuple(sorted(row["pids"])),
                    total_fen=int(row["total_fen"]), count=int(row["packets"]), first_day=day_lo,
                    last_day=day_hi, score=score, severity=Severity.HIGH if chain and talk else Severity.MEDIUM,
                    reason_key="payments.packet_gambling", reason_facts=reason, subject_payment=own[0] if own else "",
                    facts={"group_id": row["conv"], "packets": row["packets"], "links": row["links"],
                           "severity_rule": "high when a relay and stake talk coincide, else medium",
                           "stake_hits": row["hits"], "message_ids": row["msg_ids"] or [],
                           "sent_by_person": sent, "family_share": round(family_share, 3),
                           "score_parts": {"base": w.base, "chain": w.chain if chain else 0.0,
                                           "stake_talk": w.stake_talk if talk else 0.0}},
                ))
        return out
