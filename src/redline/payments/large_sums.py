"""Large one-off sums from non-family parties, with lucky amounts (666, 888, 1688…) as a weak sign.

The seed's villager sent a sub-district official 5,000 yuan in one go. A day's payments from
one payer are summed (a sum split into many packets is still one gift), and one lead lists
every such day of a pair. Loans repaid are not gifts: a pair where the official paid the
payer back a large share is left out, as are standing arrangements (the same odd amount
again and again: rent, wages).
"""

from __future__ import annotations

from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.frame import RISK_RELATIONS, PaymentFrame
from redline.payments.lead import Lead, clamp, gift_facts
from redline.vocab import Category, Severity

# 吉利数: amounts chosen for luck (六六大顺, 发发, 一路发, 一生一世) rather than for a debt.
LUCKY_YUAN = (520, 666, 888, 1314, 1688, 1888, 2888, 3888, 5888, 6666, 6888, 8888, 9999, 16888, 18888, 66666, 88888)


class LargeSumsWeights(Weights):
    """A large one-off sum; a lucky or round amount is a weak extra sign."""

    large: float = 0.5  # a day total at or above min_yuan
    lucky_only: float = 0.3  # only a lucky amount
    non_official: float = 0.1  # the payer is not an official
    risk_relation: float = 0.15  # a managed party, supplier or subordinate
    size_cap: float = 0.25
    size_factor: float = 0.1  # times the square root of total / min_yuan
    lucky: float = 0.1
    round_thousand: float = 0.05


class LargeSumsConfig(TypologyConfig):
    """The day-total threshold, the lucky amounts (weak), and how one-way the pair must be."""

    min_yuan: float = 2000.0
    lucky_yuan: tuple[int, ...] = LUCKY_YUAN
    lucky_min_yuan: float = 666.0  # a lucky amount from a non-official raises a low lead from here
    max_return_ratio: float = 0.5
    high_multiple: float = 5.0  # a day total this many times min_yuan: severity high
    weights: LargeSumsWeights = LargeSumsWeights()


class LargeSums(PaymentAnalyzer):
    """payments.large_sums: big one-off transfers from non-family parties."""

    name: ClassVar[str] = "payments.large_sums"
    Config: ClassVar[type[BaseModel]] = LargeSumsConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(LargeSumsConfig, config)
        lucky_fen = [fen(y) for y in config.lucky_yuan]
        rows = frame.rows(
            """WITH days AS (
                 SELECT payee, payer, day, sum(fen) AS day_fen,
                        bool_or(fen IN (SELECT unnest($lucky))) OR sum(fen) IN (SELECT unnest($lucky)) AS lucky
                 FROM gift WHERE coalesce(rel, '') <> 'family' AND NOT standing
                   AND pair_fen >= least($min_fen, $lucky_min_fen) AND back_fen <= $ratio * pair_fen
                 GROUP BY payee, payer, day
               ), big AS (
                 SELECT * FROM days d WHERE day_fen >= $min_fen OR (lucky AND day_fen >= $lucky_min_fen)
               )
               -- only the qualifying days go back to the payment rows for their ids
               SELECT g.payee AS person_id, g.payer, any_value(g.rel) AS rel,
                      any_value(g.payer_official) AS payer_official, any_value(g.payer_external) AS payer_external,
                      count(DISTINCT g.day) AS days, count(*) AS n, sum(g.fen) AS total_fen,
                      max(big.day_fen) AS max_day_fen, min(g.day) AS first_day, max(g.day) AS last_day,
                      list(g.pid ORDER BY g.t, g.pid) AS pids, list(g.kind ORDER BY g.t, g.pid) AS kinds,
                      any_value(g.back_fen) AS back_fen, bool_or(big.lucky) AS lucky,
                      bool_or(big.day_fen % 100000 = 0) AS round_sum
               FROM big JOIN gift g ON g.payee = big.payee AND g.payer = big.payer AND g.day = big.day
               WHERE big.day_fen >= $min_fen OR NOT g.payer_official
               GROUP BY g.payee, g.payer""",
            {"lucky": lucky_fen, "min_fen": fen(config.min_yuan), "lucky_min_fen": fen(config.lucky_min_yuan),
             "ratio": config.max_return_ratio},
        )
        risk = {r.value for r in RISK_RELATIONS}
        out = []
        for row in rows:
            large = row["max_day_fen"] >= fen(config.min_yuan)
            w = config.weights
            size = min(w.size_cap, w.size_factor * (row["total_fen"] / fen(config.min_yuan)) ** 0.5) if large else 0.0
            base = (w.large if large else w.lucky_only) + (w.non_official if not row["payer_official"] else 0.0)
            base += w.risk_relation if row["rel"] in risk else 0.0
            lucky = w.lucky if row["lucky"] else 0.0
            rnd = w.round_thousand if row["round_sum"] else 0.0
            score = clamp(base + size + lucky + rnd)
            reason = {**gift_facts(frame.names, row), "large": large, "lucky": bool(row["lucky"]),
                      "round_thousand": bool(row["round_sum"]), "back_fen": int(row["back_fen"])}
            severity = Severity.HIGH if large and row["total_fen"] >= config.high_multiple * fen(config.min_yuan) else (
                Severity.MEDIUM if large else Severity.LOW)
            out.append(Lead(
                typology="large_sums", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score, severity=severity, reason_key="payments.large_sums", reason_facts=reason,
                facts={"relation": row["rel"], "lucky_amount": bool(row["lucky"]), "days": row["days"],
                       "severity_rule": f"high at {config.high_multiple:g}x the threshold, medium at the threshold, "
                                        "low for a lucky amount only",
                       "largest_day_fen": int(row["max_day_fen"]),
                       "round_thousand": bool(row["round_sum"]), "back_fen": int(row["back_fen"]),
                       "threshold_yuan": config.min_yuan,
                       "score_parts": {"base": round(base, 3), "size": round(size, 3), "lucky": lucky,
                                       "round": rnd}},
            ))
        return out
