"""Repeated one-way gifts from a business or stranger: 经常性单方面收受, relation or not.

Relation lists are never complete, so this typology needs none: a non-official (or outside)
payer who pays one official again and again, while the official pays little or nothing
back, is a lead. Family is excluded; sessions split where a payer goes quiet for a window.
"""

from __future__ import annotations

import math
from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.frame import US_PER_DAY, PaymentFrame
from redline.payments.lead import Lead, clamp, gift_facts
from redline.vocab import Category, Severity


class RepeatedGiftsWeights(Weights):
    """A series of one-way gifts: who gives, how often, how much, never paid back."""

    base: float = 0.45
    external: float = 0.1  # the payer is outside the organisation
    related: float = 0.2  # a listed relation
    repeat_cap: float = 0.2
    repeat_per_doubling: float = 0.05  # per doubling of count / min_count + 1
    size_cap: float = 0.15
    size_per_decade: float = 0.04
    never_reciprocated: float = 0.05  # not one yuan back


class RepeatedGiftsConfig(TypologyConfig):
    """How many gifts, how much, within what quiet gap, and how one-way."""

    min_count: int = 3
    min_total_yuan: float = 300.0
    gap_days: int = 180  # a longer silence starts a new series
    max_return_ratio: float = 0.25  # back-payments above this share make it give-and-take
    include_officials: bool = False  # official payers are covered by relations, not guessed
    high_count: int = 10  # this many gifts in a series, or …
    high_total_yuan: float = 2000.0  # … this much in total: severity high
    weights: RepeatedGiftsWeights = RepeatedGiftsWeights()


class RepeatedGifts(PaymentAnalyzer):
    """payments.repeated_gifts: repeated, unreciprocated gifts from one payer."""

    name: ClassVar[str] = "payments.repeated_gifts"
    Config: ClassVar[type[BaseModel]] = RepeatedGiftsConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(RepeatedGiftsConfig, config)
        rows = frame.rows(
            """WITH g AS (
                  SELECT *, CASE WHEN t - lag(t) OVER w > ? THEN 1 ELSE 0 END AS brk
                  FROM gift WHERE coalesce(rel, '') <> 'family' AND (? OR NOT payer_official) AND NOT standing
                    -- pairs that fail over the whole period cannot pass in one series
                    AND pair_n >= ? AND pair_fen >= ? AND back_fen <= ? * pair_fen
                  WINDOW w AS (PARTITION BY payee, payer ORDER BY t)
               ), s AS (SELECT *, sum(brk) OVER (PARTITION BY payee, payer ORDER BY t, pid) AS series FROM g)
               SELECT payee AS person_id, payer, series, any_value(rel) AS rel,
                      any_value(payer_official) AS payer_official, any_value(payer_external) AS payer_external,
                      count(*) AS n, sum(fen) AS total_fen, min(day) AS first_day, max(day) AS last_day,
                      list(pid ORDER BY t, pid) AS pids, list(kind ORDER BY t, pid) AS kinds,
                      any_value(back_fen) AS back_fen, any_value(pair_fen) AS all_fen
               FROM s GROUP BY payee, payer, series
               HAVING count(*) >= ? AND sum(fen) >= ?""",
            [config.gap_days * US_PER_DAY, config.include_officials, config.min_count, fen(config.min_total_yuan),
             config.max_return_ratio, config.min_count, fen(config.min_total_yuan)],
        )
        out = []
        for row in rows:
            ratio = row["back_fen"] / row["all_fen"] if row["all_fen"] else 0.0
            if ratio > config.max_return_ratio:
                continue
            w = config.weights
            base = w.base + (w.external if row["payer_external"] else 0.0) + (w.related if row["rel"] else 0.0)
            repeat = min(w.repeat_cap, w.repeat_per_doubling * math.log2(row["n"] / config.min_count + 1))
            size = min(w.size_cap, w.size_per_decade * math.log10(max(row["total_fen"], 100) / 100))
            score = clamp(base + repeat + size + (w.never_reciprocated if ratio == 0 else 0.0))
            high = row["n"] >= config.high_count or row["total_fen"] >= fen(config.high_total_yuan)
            severity = Severity.HIGH if high else Severity.MEDIUM
            reason = {**gift_facts(frame.names, row), "back_fen": int(row["back_fen"]), "return_ratio": ratio}
            out.append(Lead(
                typology="repeated_gifts", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score, severity=severity, reason_key="payments.repeated_gifts", reason_facts=reason,
                facts={"relation": row["rel"], "back_fen": int(row["back_fen"]), "return_ratio": round(ratio, 3),
                       "severity_rule": f"high if {config.high_count}+ gifts or {config.high_total_yuan:,.0f}+ yuan, else medium",
                       "payer_external": bool(row["payer_external"]),
                       "score_parts": {"base": round(base, 3), "repeat": round(repeat, 3), "size": round(size, 3),
                                       "never_reciprocated": w.never_reciprocated if ratio == 0 else 0.0}},
            ))
        return out
