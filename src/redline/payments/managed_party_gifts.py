"""Gifts from a managed party, supplier or subordinate to an official: any amount counts.

Liaoyang: 不准收受带有工作贿赂性质的……各种电子红包，无论数额大小. One lead per (official,
payer, relation), with every counted payment; returned packets (已退还) never count.
"""

from __future__ import annotations

import math
from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.frame import PaymentFrame
from redline.payments.inferred_parties import inferred_parties
from redline.payments.lead import Lead, clamp, gift_facts
from redline.vocab import Category, PaymentKind, Relation, Severity


class ManagedPartyGiftsWeights(Weights):
    """Relationship first (不论金额大小), then how often and how much."""

    relation: float = 0.75  # a managed party or supplier
    subordinate: float = 0.65  # a subordinate: everyday give-and-take is likelier
    repeat_cap: float = 0.15
    repeat_per_doubling: float = 0.05  # per doubling of the number of gifts
    size_cap: float = 0.1
    size_per_decade: float = 0.025  # per tenfold of the total in yuan
    inferred: float = 0.6  # an inferred managed party (see inferred_parties), not a listed one


class ManagedPartyGiftsConfig(TypologyConfig):
    """Which relations and payment kinds count, and the (default: none) floor."""

    from_relation: tuple[Relation, ...] = (Relation.MANAGED, Relation.SUPPLIER, Relation.SUBORDINATE)
    kinds: tuple[PaymentKind, ...] = (PaymentKind.RED_PACKET, PaymentKind.TRANSFER, PaymentKind.GIFT_CARD)
    min_count: int = 1
    min_total_yuan: float = 0.0
    # Relations with everyday give-and-take (a subordinate settling a shared meal): their
    # payments count only when one-way and at least `give_and_take_min_yuan` in total.
    give_and_take: tuple[Relation, ...] = (Relation.SUBORDINATE,)
    give_and_take_min_yuan: float = 500.0
    max_return_ratio: float = 0.5
    high_total_yuan: float = 1000.0  # at or above this total, or 3+ gifts: severity high
    weights: ManagedPartyGiftsWeights = ManagedPartyGiftsWeights()
    # An official's lucky-draw packet shared in a group is custom, not a gift to the leader.
    include_colleague_packets: bool = False
    # Relation lists are incomplete: also lead on parties inferred from payments and events
    # (see inferred_parties), scored lower and marked as inferred in the reason.
    infer_parties: bool = True
    # A payer of this many officials of one unit, one way, is likely managed by it (0: off).
    # Off by default: it reads payments to colleagues, which the Spark engine's per-person
    # neighbourhoods do not hold, so Spark refuses a trigger that turns it on.
    infer_min_officials: int = 0


class ManagedPartyGifts(PaymentAnalyzer):
    """payments.managed_party_gifts: 管理服务对象 gifts, whatever the amount."""

    name: ClassVar[str] = "payments.managed_party_gifts"
    Config: ClassVar[type[BaseModel]] = ManagedPartyGiftsConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(ManagedPartyGiftsConfig, config)
        rows = frame.rows(
            """SELECT payee AS person_id, payer, rel, any_value(payer_official) AS payer_official,
                      any_value(payer_external) AS payer_external, count(*) AS n, sum(fen) AS total_fen,
                      min(day) AS first_day, max(day) AS last_day, list(pid ORDER BY t, pid) AS pids,
                      list(kind ORDER BY t, pid) AS kinds, any_value(back_fen) AS back_fen
               FROM gift WHERE rel IN (SELECT unnest(?)) AND kind IN (SELECT unnest(?))
                 AND (? OR NOT colleague_packet)
               GROUP BY payee, payer, rel HAVING count(*) >= ? AND sum(fen) >= ?""",
            [[r.value for r in config.from_relation], [k.value for k in config.kinds],
             config.include_colleague_packets, config.min_count, fen(config.min_total_yuan)],
        )
        soft = {r.value for r in config.give_and_take}
        out = []
        for row in rows:
            ratio = row["back_fen"] / row["total_fen"]
            if row["rel"] in soft and (
                ratio > config.max_return_ratio or row["total_fen"] < fen(config.give_and_take_min_yuan)
            ):
                continue
            # Relationship first (不论金额大小), then how often and how much.
            w = config.weights
            base = w.relation if row["rel"] != Relation.SUBORDINATE else w.subordinate
            repeat = min(w.repeat_cap, w.repeat_per_doubling * math.log2(row["n"])) if row["n"] > 1 else 0.0
            size = min(w.size_cap, w.size_per_decade * math.log10(max(row["total_fen"], 100) / 100))
            score = clamp(base + repeat + size)
            high = row["n"] >= 3 or row["total_fen"] >= fen(config.high_total_yuan)
            reason = {**gift_facts(frame.names, row), "one_way": row["rel"] in soft, "return_ratio": ratio,
                      "back_fen": int(row["back_fen"])}
            out.append(Lead(
                typology="managed_party_gifts", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score,
                severity=Severity.HIGH if high else Severity.MEDIUM, reason_key="payments.managed_party_gifts",
                reason_facts=reason,
                facts={"relation": row["rel"], "back_fen": int(row["back_fen"]), "return_ratio": round(ratio, 3),
                       "score_parts": {"relation": base, "repeat": round(repeat, 3), "size": round(size, 3)},
                       "severity_rule": f"high if count >= 3 or total >= {config.high_total_yuan} yuan"},
            ))
        if config.infer_parties:
            out.extend(self._inferred_leads(frame, config))
        return out

    def _inferred_leads(self, frame: PaymentFrame, config: ManagedPartyGiftsConfig) -> list[Lead]:
        """Leads on payers with no listed relation whom the payments or events mark as managed."""
        inferred = inferred_parties(frame, min_officials=config.infer_min_officials,
                                    max_return_ratio=config.max_return_ratio)
        if not inferred:
            return []
        rows = frame.rows(
            """SELECT payee AS person_id, payer, NULL AS rel, any_value(payer_official) AS payer_official,
                      any_value(payer_external) AS payer_external, count(*) AS n, sum(fen) AS total_fen,
                      min(day) AS first_day, max(day) AS last_day, list(pid ORDER BY t, pid) AS pids,
                      list(kind ORDER BY t, pid) AS kinds, any_value(back_fen) AS back_fen
               FROM gift WHERE rel IS NULL AND NOT coalesce(payer_official, false)
                 AND kind IN (SELECT unnest(?)) AND NOT colleague_packet
               GROUP BY payee, payer HAVING count(*) >= ? AND sum(fen) >= ?""",
            [[k.value for k in config.kinds], config.min_count, fen(config.min_total_yuan)],
        )
        out = []
        for row in rows:
            basis = inferred.get((row["person_id"], row["payer"]))
            if basis is None:
                continue
            # an inferred party's lead grows with count and amount as a listed one's does
            w = config.weights
            repeat = min(w.repeat_cap, w.repeat_per_doubling * math.log2(row["n"])) if row["n"] > 1 else 0.0
            size = min(w.size_cap, w.size_per_decade * math.log10(max(row["total_fen"], 100) / 100))
            score = clamp(w.inferred + repeat + size)
            reason = {**gift_facts(frame.names, row), "basis": basis}
            out.append(Lead(
                typology="managed_party_gifts", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score, severity=Severity.MEDIUM,
                reason_key="payments.managed_party_gifts.inferred", reason_facts=reason,
                facts={"relation": "inferred_managed", "inferred_from": basis, "back_fen": int(row["back_fen"]),
                       "score_parts": {"inferred": w.inferred, "repeat": round(repeat, 3),
                                       "size": round(size, 3)},
                       "severity_rule": "medium: the relation is inferred, not listed"},
            ))
        return out
