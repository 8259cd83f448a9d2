"""Festival gifts (节日送礼): one-way gifts to an official in the days around a festival.

Spring Festival, Dragon Boat, Mid-Autumn and National Day come from `festivals` (statutory
calendar plus lunar dates). Relatives are excluded (family festival packets are custom), as
are officials' packets to each other unless a risk relation is listed (colleagues' group
packets at New Year are give-and-take), and standing transfers (rent that happens to fall on
a holiday); what remains must be largely one-way.
"""

from __future__ import annotations

from typing import ClassVar, cast

import pyarrow as pa
from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.festivals import (
    Festival,
    day_number,
    festival_spans,
    from_day_number,
)
from redline.payments.frame import RISK_RELATIONS, PaymentFrame
from redline.payments.large_sums import LUCKY_YUAN
from redline.payments.lead import Lead, clamp, gift_facts
from redline.vocab import Category, Severity

# Memo words that make a transfer a festival gift (节日快乐, 一点心意, 拜年).
GREETING = "快乐|节日|过节|心意|礼|红包|拜年|中秋|端午|国庆|春节"


class HolidayGiftsWeights(Weights):
    """Gifts around a holiday: a listed relation weighs most."""

    base: float = 0.5
    related: float = 0.25  # a listed relation
    external: float = 0.05  # the payer is outside the organisation
    size_cap: float = 0.15
    size_factor: float = 0.05  # times the square root of total / min_total_yuan


class HolidayGiftsConfig(TypologyConfig):
    """Which festivals, how many days around the holiday, how much, how one-way."""

    festivals: tuple[Festival, ...] = tuple(Festival)
    days_before: int = 10  # gifts come before the holiday (送节礼) …
    days_after: int = 5  # … and in its last days
    min_total_yuan: float = 100.0
    max_return_ratio: float = 0.25
    unlisted_gift_like_only: bool = True  # payers with no listed relation: gift-shaped payments only
    weights: HolidayGiftsWeights = HolidayGiftsWeights()


class HolidayGifts(PaymentAnalyzer):
    """payments.holiday_gifts: gifts clustered around 春节, 端午, 中秋, 国庆."""

    name: ClassVar[str] = "payments.holiday_gifts"
    Config: ClassVar[type[BaseModel]] = HolidayGiftsConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(HolidayGiftsConfig, config)
        span = frame.rows("SELECT min(day) AS lo, max(day) AS hi FROM gift")[0]
        if span["lo"] is None:
            return []
        lo, hi = from_day_number(span["lo"]).year, from_day_number(span["hi"]).year
        spans = [s for s in festival_spans(lo - 1, hi + 1) if s.festival in config.festivals]
        windows = pa.table({
            "festival": [s.festival.value for s in spans],
            "year": [s.year for s in spans],
            "w_lo": [day_number(s.first) - config.days_before for s in spans],
            "w_hi": [day_number(s.last) + config.days_after for s in spans],
        })
        risk = [r.value for r in RISK_RELATIONS]
        rows = frame.rows_with(
            {"festival_windows": windows},
            """WITH near AS (
                 SELECT g.*, w.festival, w.year FROM gift g JOIN festival_windows w ON g.day BETWEEN w.w_lo AND w.w_hi
                 WHERE coalesce(g.rel, '') <> 'family' AND NOT g.colleague_packet AND NOT g.standing
                   AND (NOT g.payer_official OR g.rel IN (SELECT unnest(?)))
                   AND g.back_fen <= ? * g.pair_fen AND g.pair_fen >= ?
                 -- 2016's Mid-Autumn and National Day windows overlap: each gift goes to the nearer one
                 QUALIFY row_number() OVER (PARTITION BY g.pid ORDER BY abs(g.day - (w.w_lo + w.w_hi) / 2)) = 1
               )
               SELECT payee AS person_id, payer, festival, year, any_value(rel) AS rel,
                      any_value(payer_official) AS payer_official, any_value(payer_external) AS payer_external,
                      count(*) AS n, sum(fen) AS total_fen, min(day) AS first_day, max(day) AS last_day,
                      list(pid ORDER BY t, pid) AS pids, list(kind ORDER BY t, pid) AS kinds,
                      any_value(back_fen) AS back_fen, any_value(pair_fen) AS pair_fen,
                      bool_or(kind IN ('red_packet', 'gift_card') OR fen % 10000 = 0 OR fen IN (SELECT unnest(?))
                              OR regexp_matches(memo, ?)) AS gift_like
               FROM near GROUP BY payee, payer, festival, year
               HAVING sum(fen) >= ?""",
            [risk, config.max_return_ratio, fen(config.min_total_yuan), [fen(y) for y in LUCKY_YUAN], GREETING,
             fen(config.min_total_yuan)],
        )
        out = []
        for row in rows:
            # A stranger's odd-priced transfer near a holiday is usually a sale; a gift looks
            # like one (a packet, a card, a round or lucky sum, a greeting in the memo).
            if not row["rel"] and config.unlisted_gift_like_only and not row["gift_like"]:
                continue
            festival = Festival(row["festival"])
            w = config.weights
            base = w.base + (w.related if row["rel"] else 0.0) + (w.external if row["payer_external"] else 0.0)
            size = min(w.size_cap, w.size_factor * (row["total_fen"] / fen(config.min_total_yuan)) ** 0.5)
            score = clamp(base + size)
            reason = {**gift_facts(frame.names, row), "festival": festival.value, "festival_year": row["year"]}
            out.append(Lead(
                typology="holiday_gifts", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score,
                severity=Severity.HIGH if row["rel"] else Severity.MEDIUM, reason_key="payments.holiday_gifts", reason_facts=reason,
                facts={"festival": festival.value, "gift_like": bool(row["gift_like"]),
                       "severity_rule": "high if the payer has a listed risk relation, else medium", "festival_year": row["year"], "relation": row["rel"],
                       "back_fen": int(row["back_fen"]),
                       "window": [config.days_before, config.days_after],
                       "score_parts": {"base": round(base, 3), "size": round(size, 3)}},
            ))
        return out
