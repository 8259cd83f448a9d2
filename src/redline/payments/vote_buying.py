"""拉票贿选: a candidate paying many members of the electorate in the days before an election.

events.csv rows of kind `election` name the candidate (`person_id`) and the unit that
votes; the electorate is that unit's people and everyone who shares a group with the
candidate (village representatives sit in the town's group, not its unit). Recipients are counted in the window before the vote and compared with the
candidate's own habit (mean recipients per window of the same length over the prior year),
so a leader's usual New Year packet in the department group is not mistaken for canvassing.
"""

from __future__ import annotations

from typing import ClassVar, cast

from pydantic import BaseModel

from redline.payments.analyzer import PaymentAnalyzer, TypologyConfig, Weights
from redline.payments.festivals import from_day_number
from redline.payments.frame import PaymentFrame
from redline.payments.lead import Lead, clamp, iso
from redline.vocab import Category, Severity


class VoteBuyingWeights(Weights):
    """Money to many voters before an election, far above habit."""

    base: float = 0.6
    recipients_cap: float = 0.2
    per_recipient: float = 0.01
    lift_cap: float = 0.15
    per_lift: float = 0.02  # per multiple of the habitual number of recipients


class VoteBuyingConfig(TypologyConfig):
    """The window before the vote, how many recipients, and how far above habit."""

    days_before: int = 30
    min_recipients: int = 5
    baseline_days: int = 360
    baseline_ratio: float = 3.0  # recipients must exceed habit by this factor
    weights: VoteBuyingWeights = VoteBuyingWeights()


class VoteBuying(PaymentAnalyzer):
    """payments.vote_buying: money to many voters just before an election."""

    name: ClassVar[str] = "payments.vote_buying"
    Config: ClassVar[type[BaseModel]] = VoteBuyingConfig

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        config = cast(VoteBuyingConfig, config)
        w = config.days_before
        rows = frame.rows(
            """WITH el AS (
                 SELECT event_id, day AS eday, nullif(unit, '') AS unit, person_id AS candidate
                 FROM events WHERE kind = 'election' AND person_id IS NOT NULL
               ), peers AS (  -- people who share a group with a candidate (群成员)
                 SELECT DISTINCT a.person_id AS candidate, b.person_id AS peer FROM memberships a
                 JOIN memberships b ON a.group_id = b.group_id AND a.person_id <> b.person_id
                 WHERE a.person_id IN (SELECT candidate FROM el)
               ), cp AS (
                 SELECT el.*, p.pid, p.t, p.day, p.payee, p.fen, p.kind,
                        (el.eday - p.day) // ? AS win
                 FROM el JOIN pay p ON p.payer = el.candidate AND p.counted
                  AND p.day <= el.eday AND p.day > el.eday - ? - ?
                 JOIN people x ON x.person_id = p.payee
                 LEFT JOIN peers ON peers.candidate = el.candidate AND peers.peer = p.payee
                 WHERE (x.unit = el.unit OR peers.peer IS NOT NULL OR (el.unit IS NULL AND x.is_official))
                   AND NOT EXISTS (SELECT 1 FROM rel k WHERE k.relation = 'family'
                                   AND k.official = el.candidate AND k.other = p.payee)
               ), per_win AS (
                 SELECT event_id, win, count(DISTINCT payee) AS recips FROM cp WHERE win > 0 GROUP BY ALL
               )
               SELECT cp.event_id, any_value(cp.eday) AS eday, any_value(cp.unit) AS unit,
                      any_value(cp.candidate) AS person_id, count(DISTINCT cp.payee) AS recips,
                      count(*) AS n, sum(cp.fen) AS total_fen, min(cp.day) AS first_day, max(cp.day) AS last_day,
                      list(cp.pid ORDER BY cp.t, cp.pid) AS pids, list(DISTINCT cp.payee) AS payees,
                      coalesce((SELECT sum(recips) FROM per_win b WHERE b.event_id = cp.event_id), 0) AS base_sum
               FROM cp WHERE cp.win = 0 GROUP BY cp.event_id""",
            [w, w, config.baseline_days],
        )
        windows = max(1, config.baseline_days // w)
        out = []
        for row in rows:
            habit = row["base_sum"] / windows
            if row["recips"] < config.min_recipients or row["recips"] < config.baseline_ratio * max(habit, 1.0):
                continue
            lift = row["recips"] / max(habit, 1.0)
            wt = config.weights
            recipients = min(wt.recipients_cap, wt.per_recipient * row["recips"])
            lifted = min(wt.lift_cap, wt.per_lift * lift)
            score = clamp(wt.base + recipients + lifted)
            date = from_day_number(row["eday"]).isoformat()
            reason = {"person": frame.name(row["person_id"]), "first_date": iso(row["first_day"]),
                      "last_date": iso(row["last_day"]), "election_date": date, "unit": row["unit"],
                      "days_before": w, "recipients": row["recips"], "count": row["n"],
                      "total_fen": row["total_fen"], "habit": habit}
            out.append(Lead(
                typology="vote_buying", category=Category.VOTE_BUYING, person_id=row["person_id"],
                counterparty_ids=tuple(sorted(row["payees"])), payment_ids=tuple(row["pids"]),
                total_fen=int(row["total_fen"]), count=int(row["n"]), first_day=row["first_day"],
                last_day=row["last_day"], score=score, severity=Severity.HIGH, reason_key="payments.vote_buying", reason_facts=reason,
                facts={"event_id": row["event_id"], "election_date": date, "unit": row["unit"],
                       "severity_rule": "always high: money to voters before a vote",
                       "recipients": row["recips"], "habit_recipients": round(habit, 2), "lift": round(lift, 2),
                       "score_parts": {"base": wt.base, "recipients": round(recipients, 3),
                                       "lift": round(lifted, 3)}},
            ))
        return out
