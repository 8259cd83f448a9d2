"""复核 (second look): a share of decided alerts goes to a second reviewer, blind to the first.

By default 5 % of dismissals and 10 % of confirmations (escalations) are drawn, and at least
one decision a week of every reviewer. The draw is a hash of the alert id, so it is stable and
cannot be gamed by the first reviewer. The second reviewer is another account that may decide,
never the first decider: nobody appraises their own decision. The assignment and the verdict
are `decisions` rows (actions `second_look` and `appraisal`), so the alert's history holds
them, and both are audited. A disagreement is recorded for both reviewers and the admin
(audit action `second_look.disagreement`, listed by `disagreements`).

Agreement is Cohen's kappa (`quality.cohen_kappa`) of (first, second) verdicts, per rule (the
alert's rule) and per first reviewer.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import ROLE_PERMS, Actor, Perm, Role
from redline.review.quality import cohen_kappa
from redline.store.tables.accounts import Account
from redline.store.tables.review import Alert, Decision

ASSIGN: Final = "second_look"
APPRAISAL: Final = "appraisal"
VERDICTS: Final = ("confirm", "dismiss")
_VERDICT_OF: Final = {"escalate": "confirm", "dismiss": "dismiss"}


@dataclass(frozen=True, slots=True)
class Policy:
    """Shares drawn for a second look, and the weekly minimum per reviewer."""

    dismiss_share: float = 0.05
    confirm_share: float = 0.10
    weekly_minimum: int = 1


def _fraction(alert_id: int) -> float:
    digest = hashlib.sha256(f"second-look:{alert_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _week(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def _first_decisions(session: Session) -> dict[int, Decision]:
    """The decision in force of each decided alert (its latest dismiss / escalate)."""
    out: dict[int, Decision] = {}
    for d in session.scalars(select(Decision).where(Decision.action.in_(tuple(_VERDICT_OF)))
                             .order_by(Decision.id)):
        if d.alert_id is not None:
            out[d.alert_id] = d
    status = dict(list(session.execute(select(Alert.id, Alert.status)).tuples()))
    want = {"escalate": "escalated", "dismiss": "dismissed"}
    return {aid: d for aid, d in out.items() if status.get(aid) == want[d.action]}


def _reviewers(session: Session) -> list[str]:
    deciders = {r.value for r, perms in ROLE_PERMS.items() if Perm.DECIDE in perms}
    return sorted(session.scalars(select(Account.username).where(Account.active.is_(True),
                                                                  Account.role.in_(deciders))))


def assign(engine: Engine, policy: Policy = Policy()) -> list[tuple[int, str]]:
    """Draw decided alerts not drawn before and assign each a second reviewer; returns
    (alert id, second reviewer). Idempotent: an alert is drawn once."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        firsts = _first_decisions(session)
        drawn = set(session.scalars(select(Decision.alert_id).where(Decision.action == ASSIGN)))
        reviewers = _reviewers(session)
        chosen: list[int] = []
        for aid, d in sorted(firsts.items()):
            share = policy.confirm_share if d.action == "escalate" else policy.dismiss_share
            if aid not in drawn and _fraction(aid) < share:
                chosen.append(aid)
        # at least `weekly_minimum` a week of every reviewer: top up with their lowest draws
        per_week: dict[tuple[str, str], list[int]] = defaultdict(list)
        for aid, d in firsts.items():
            per_week[(d.actor, _week(d.created_at))].append(aid)
        have = set(chosen) | drawn
        for _key, ids in sorted(per_week.items()):
            missing = policy.weekly_minimum - sum(1 for a in ids if a in have)
            for aid in sorted((a for a in ids if a not in have), key=_fraction)[:max(0, missing)]:
                chosen.append(aid)
                have.add(aid)
        out: list[tuple[int, str]] = []
        for n, aid in enumerate(sorted(set(chosen))):
            others = [r for r in reviewers if r != firsts[aid].actor]
            if not others:
                continue  # a single reviewer cannot be second-looked by anyone
            second = others[(aid + n) % len(others)]
            session.add(Decision(alert_id=aid, actor="system", action=ASSIGN, value=second,
                                 reason="复核抽样 / drawn for a second look", created_at=now))
            out.append((aid, second))
    if out:
        audit_log.record(engine, "system", "system", "second_look.assign", "alerts",
                         {"assigned": [[a, s] for a, s in out]})
    return out


def pending(engine: Engine, username: str) -> list[int]:
    """Alerts waiting for `username`'s second look: ids only, never the first verdict."""
    with Session(engine) as session:
        assigned = set(session.scalars(select(Decision.alert_id).where(Decision.action == ASSIGN,
                                                                       Decision.value == username)))
        done = set(session.scalars(select(Decision.alert_id).where(Decision.action == APPRAISAL,
                                                                   Decision.actor == username)))
    return sorted(a for a in assigned - done if a is not None)


def appraise(engine: Engine, actor: Actor, alert_id: int, verdict: str, reason: str = "") -> bool:
    """Record the second reviewer's verdict; returns whether it agrees with the first.

    Only the assigned second reviewer may appraise, once; never the first decider."""
    actor.require(Perm.DECIDE)
    if verdict not in VERDICTS:
        raise ConfigError(f"verdict must be one of {', '.join(VERDICTS)}")
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        first = _first_decisions(session).get(alert_id)
        if first is None:
            raise NotFound(f"alert {alert_id} has no decision to look at again")
        if first.actor == actor.username:
            raise AccessDenied("a reviewer never appraises their own decision")
        if alert_id not in pending(engine, actor.username):
            raise AccessDenied(f"alert {alert_id} is not waiting for your second look")
        agrees = _VERDICT_OF[first.action] == verdict
        session.add(Decision(alert_id=alert_id, actor=actor.username, action=APPRAISAL, value=verdict,
                             reason=reason.strip()[:4000], created_at=now))
        first_actor = first.actor
    audit_log.record(engine, actor.username, actor.role, "alert.appraisal", f"alert:{alert_id}",
                     {"verdict": verdict, "agrees": agrees})
    if not agrees:
        # back to both reviewers and the admin: the audit entry names them, `disagreements` lists it
        audit_log.record(engine, actor.username, actor.role, "second_look.disagreement", f"alert:{alert_id}",
                         {"first": first_actor, "second": actor.username, "notify": [first_actor, actor.username,
                                                                                       Role.ADMIN.value]})
    return agrees


def pairs(engine: Engine) -> list[dict[str, Any]]:
    """(first verdict, second verdict) of every appraised alert, with its rule and reviewers."""
    with Session(engine) as session:
        firsts = _first_decisions(session)
        rules = dict(list(session.execute(select(Alert.id, Alert.rule_id)).tuples()))
        out = []
        for d in session.scalars(select(Decision).where(Decision.action == APPRAISAL).order_by(Decision.id)):
            first = firsts.get(d.alert_id or 0)
            if first is None:
                continue
            out.append({"alert_id": d.alert_id, "rule_id": rules.get(d.alert_id or 0), "first": first.actor,
                        "second": d.actor, "first_verdict": _VERDICT_OF[first.action], "second_verdict": d.value})
    return out


def agreement(engine: Engine) -> dict[str, Any]:
    """Cohen's kappa and raw agreement per rule and per first reviewer, and the disagreements."""
    rows = pairs(engine)

    def summary(group: list[dict[str, Any]]) -> dict[str, Any]:
        pv = [(r["first_verdict"], r["second_verdict"]) for r in group]
        agree = sum(1 for a, b in pv if a == b)
        kappa = cohen_kappa(pv)
        return {"n": len(pv), "agreement": round(agree / len(pv), 4) if pv else None,
                "kappa": None if kappa is None else round(kappa, 4)}

    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_reviewer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_rule[str(r["rule_id"])].append(r)
        by_reviewer[r["first"]].append(r)
    return {"overall": summary(rows),
            "by_rule": {k: summary(v) for k, v in sorted(by_rule.items())},
            "by_reviewer": {k: summary(v) for k, v in sorted(by_reviewer.items())},
            "disagreements": [r for r in rows if r["first_verdict"] != r["second_verdict"]]}
