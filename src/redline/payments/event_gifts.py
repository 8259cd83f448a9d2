"""Gifts around an organisation decision that concerns the payer (bid, approval, inspection).

events.csv names the official concerned (`person_id`) and the party that benefits
(`other_id`); a payment from that party to that official in the days before or after the
decision is a lead whatever the relation list says (relations are never complete).
"""

from __future__ import annotations

from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights, fen
from redline.payments.festivals import from_day_number
from redline.payments.frame import PaymentFrame
from redline.payments.lead import Lead, clamp, gift_facts
from redline.vocab import Category, EventKind, Severity


class EventGiftsWeights(Weights):
    """Gifts around a decision the official took: the closer, the stronger."""

    base: float = 0.75
    closeness: float = 0.15  # on the day of the decision, falling to 0 at closeness_days
    closeness_days: float = 60.0
    count_cap: float = 0.1
    per_payment: float = 0.02


class EventGiftsConfig(TypologyConfig):
    """Which decisions, and how many days before and after them gifts count."""

    event_kinds: tuple[EventKind, ...] = (EventKind.BID, EventKind.APPROVAL, EventKind.INSPECTION, EventKind.PROMOTION)
    days_before: int = 60
    days_after: int = 90  # thank-you gifts (事后感谢) come after the decision
    min_total_yuan: float = 0.0
    weights: EventGiftsWeights = EventGiftsWeights()


class EventGifts(PaymentAnalyzer):
    """payments.event_gifts: a beneficiary paying the official who decided."""

    name: ClassVar[str] = "payments.event_gifts"
    Config: ClassVar[type[BaseModel]] = EventGiftsConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(EventGiftsConfig, config)
        rows = frame.rows(
            """SELECT g.payee AS person_id, g.payer, e.event_id, any_value(e.kind) AS event_kind,
                      any_value(e.day) AS event_day, any_value(g.rel) AS rel,
                      any_value(payer_official) AS payer_official, any_value(payer_external) AS payer_external,
                      count(*) AS n, sum(fen) AS total_fen, min(g.day) AS first_day, max(g.day) AS last_day,
                      list(pid ORDER BY t, pid) AS pids, list(g.kind ORDER BY t, pid) AS kinds
               FROM gift g JOIN events e ON e.person_id = g.payee AND e.other_id = g.payer
                AND g.day BETWEEN e.day - ? AND e.day + ?
               WHERE e.kind IN (SELECT unnest(?)) AND coalesce(g.rel, '') <> 'family'
               GROUP BY g.payee, g.payer, e.event_id HAVING sum(fen) >= ?""",
            [config.days_before, config.days_after, [k.value for k in config.event_kinds],
             fen(config.min_total_yuan)],
        )
        out = []
        for row in rows:
            kind = row["event_kind"]
            date = from_day_number(row["event_day"]).isoformat()
            gap = min(abs(row["first_day"] - row["event_day"]), abs(row["last_day"] - row["event_day"]))
            w = config.weights
            closeness = w.closeness * (1 - min(gap, w.closeness_days) / w.closeness_days)
            count = min(w.count_cap, w.per_payment * row["n"])
            score = clamp(w.base + closeness + count)
            reason = {**gift_facts(frame.names, row), "event_kind": kind, "event_date": date,
                      "event_id": row["event_id"]}
            out.append(Lead(
                typology="event_gifts", category=Category.GIFTS, person_id=row["person_id"],
                counterparty_ids=(row["payer"],), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score, severity=Severity.HIGH, reason_key="payments.event_gifts", reason_facts=reason,
                facts={"severity_rule": "always high: the payer benefited from the official's decision",
                       "event_id": row["event_id"], "event_kind": kind, "event_date": date,
                       "days_from_event": gap, "relation": row["rel"],
                       "score_parts": {"beneficiary": w.base, "closeness": round(closeness, 3),
                                       "count": round(count, 3)}},
            ))
        return out
