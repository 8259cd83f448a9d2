"""亲属代收: money from a managed party (or an event beneficiary) to an official's relative.

Paying the spouse or child instead of the official is a classic way around the rules. The
payer is tied to the official by a listed risk relation, by an event the official decided,
or, when relation lists are incomplete, by repeated one-way payments from a non-official.
"""

from __future__ import annotations

import math
from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.frame import PaymentFrame
from redline.payments.holiday_gifts import GREETING
from redline.payments.large_sums import LUCKY_YUAN
from redline.payments.lead import Lead, clamp, iso
from redline.vocab import Category, Relation, Severity


class FamilyProxyWeights(Weights):
    """Gifts routed through a relative: a listed tie to the payer weighs most."""

    listed: float = 0.8  # the payer has a listed relation to the official
    unlisted: float = 0.5
    size_cap: float = 0.15
    size_per_decade: float = 0.04
    count_cap: float = 0.05
    per_payment: float = 0.01


class FamilyProxyConfig(TypologyConfig):
    """Which relations tie the payer to the official; floors for payers with no listed tie."""

    from_relation: tuple[Relation, ...] = (Relation.MANAGED, Relation.SUPPLIER, Relation.SUBORDINATE)
    unlisted_min_count: int = 3
    unlisted_min_total_yuan: float = 1000.0
    max_return_ratio: float = 0.25
    weights: FamilyProxyWeights = FamilyProxyWeights()


class FamilyProxy(PaymentAnalyzer):
    """payments.family_proxy: gifts routed through a relative."""

    name: ClassVar[str] = "payments.family_proxy"
    Config: ClassVar[type[BaseModel]] = FamilyProxyConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(FamilyProxyConfig, config)
        rows = frame.rows(
            """WITH fam AS (
                 SELECT r.official AS person_id, r.other AS relative FROM rel r
                 JOIN people o ON o.person_id = r.official AND o.is_official WHERE r.relation = 'family'
               ), p AS (
                 SELECT f.person_id, f.relative, p.* FROM pay p JOIN fam f ON f.relative = p.payee
                 WHERE p.counted AND p.payer <> f.person_id
                   AND NOT EXISTS (SELECT 1 FROM rel k WHERE k.relation = 'family'
                                   AND k.official IN (f.person_id, f.relative) AND k.other = p.payer)
               ), tie AS (
                 SELECT official, other, min(relation) AS relation FROM rel
                 WHERE relation IN (SELECT unnest($risk)) GROUP BY ALL
               ), ev AS (SELECT DISTINCT person_id, other_id FROM events WHERE other_id IS NOT NULL)
               SELECT p.person_id, p.relative, p.payer, any_value(tie.relation) AS rel,
                      bool_or(ev.other_id IS NOT NULL) AS beneficiary,
                      any_value(x.is_official) AS payer_official, count(*) AS n, sum(p.fen) AS total_fen,
                      min(p.day) AS first_day, max(p.day) AS last_day,
                      list(p.pid ORDER BY p.t, p.pid) AS pids, list(p.kind ORDER BY p.t, p.pid) AS kinds,
                      coalesce(any_value(b.fen), 0) AS back_fen,
                      bool_or(p.kind IN ('red_packet', 'gift_card') OR p.fen % 10000 = 0
                              OR p.fen IN (SELECT unnest($lucky)) OR regexp_matches(p.memo, $greeting)) AS gift_like
               FROM p LEFT JOIN tie ON tie.official = p.person_id AND tie.other = p.payer
               LEFT JOIN ev ON ev.person_id = p.person_id AND ev.other_id = p.payer
               JOIN people x ON x.person_id = p.payer
               LEFT JOIN flow b ON b.a = p.b AND b.b = p.a  -- what the relative paid back
               GROUP BY p.person_id, p.relative, p.payer""",
            {"risk": [r.value for r in config.from_relation], "lucky": [fen(y) for y in LUCKY_YUAN],
             "greeting": GREETING},
        )
        out = []
        for row in rows:
            ratio = row["back_fen"] / row["total_fen"]
            listed = row["rel"] is not None or row["beneficiary"]
            # With no listed tie, only gift-shaped money counts: a relative's shop takes odd
            # prices from customers every day, a bribe is a round sum, a packet or a card.
            unlisted_ok = (
                not row["payer_official"] and ratio <= config.max_return_ratio and row["gift_like"]
                and (row["n"] >= config.unlisted_min_count or row["total_fen"] >= fen(config.unlisted_min_total_yuan))
            )
            if not (listed or unlisted_ok):
                continue
            w = config.weights
            base = w.listed if listed else w.unlisted
            size = min(w.size_cap, w.size_per_decade * math.log10(max(row["total_fen"], 100) / 100))
            score = clamp(base + size + min(w.count_cap, w.per_payment * row["n"]))
            reason = {"person": frame.name(row["person_id"]), "relative": frame.name(row["relative"]),
                      "payer": frame.name(row["payer"]), "relation": row["rel"],
                      "beneficiary": bool(row["beneficiary"]), "kinds": list(row["kinds"]), "count": row["n"],
                      "total_fen": row["total_fen"], "first_date": iso(row["first_day"]),
                      "last_date": iso(row["last_day"])}
            out.append(Lead(
                typology="family_proxy", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"], row["relative"]), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score,
                severity=Severity.HIGH if listed else Severity.MEDIUM, reason_key="payments.family_proxy", reason_facts=reason,
                facts={"relative_id": row["relative"], "gift_like": bool(row["gift_like"]),
                       "severity_rule": "high with a listed tie or decision, medium for one-way money alone", "payer_id": row["payer"], "relation": row["rel"],
                       "event_beneficiary": bool(row["beneficiary"]), "return_ratio": round(ratio, 3),
                       "score_parts": {"tie": base, "size": round(size, 3)}},
            ))
        return out
