"""Likely managed parties (推定的管理服务对象) inferred from the payments and decisions themselves.

Relation lists are never complete: a contractor registered against one official of a unit
is as much managed by its other officials, and the party a decision benefited is managed by
whoever decided. A non-official with no listed relation to the official is inferred to be a
managed party of that official when one of these holds (strongest first):

- `beneficiary`: events.csv names it as the beneficiary (`other_id`) of a decision by this
  official, or by any official of the same unit (the unit decides, its officials are paid);
- `listed_for_colleague`: relations.csv lists it as managed party or supplier of another
  official of the same unit;
- `pays_unit`: it pays `min_officials` or more officials of one unit, one way (each of
  those pairs returns at most `max_return_ratio` of what was received); 0 turns it off.

Leads built on an inference say so in their reason: a reviewer must check the relation.
"""

from __future__ import annotations

from typing import Final

from redline.payments.frame import PaymentFrame

# Strongest basis first: the reason names the first that holds (reasons.payments.BASIS_ZH).
BASES: Final = ("beneficiary", "listed_for_colleague", "pays_unit")


def inferred_parties(frame: PaymentFrame, *, min_officials: int = 0,
                     max_return_ratio: float = 0.5) -> dict[tuple[str, str], str]:
    """{(official, payer): basis} for every non-official payer with no listed relation to the official."""
    rows = frame.rows(
        """WITH cand AS (
             SELECT g.payee, g.payer, any_value(p.unit) AS unit
             FROM gift g JOIN people p ON p.person_id = g.payee
             WHERE g.rel IS NULL AND NOT coalesce(g.payer_official, false)
               AND g.back_fen <= ? * g.pair_fen
             GROUP BY g.payee, g.payer),
           bene AS (
             SELECT e.other_id AS payer, e.person_id AS official,
                    coalesce(nullif(e.unit, ''), p.unit, '') AS unit
             FROM events e LEFT JOIN people p ON p.person_id = e.person_id
             WHERE coalesce(e.other_id, '') <> ''),
           listed AS (
             SELECT r.other AS payer, r.official, p.unit FROM rel r JOIN people p ON p.person_id = r.official
             WHERE r.relation IN ('managed', 'supplier')),
           spread AS (
             SELECT c.payer, c.unit FROM cand c WHERE coalesce(c.unit, '') <> ''
             GROUP BY c.payer, c.unit HAVING count(DISTINCT c.payee) >= ?)
           SELECT c.payee, c.payer,
             EXISTS (SELECT 1 FROM bene b WHERE b.payer = c.payer
                     AND (b.official = c.payee OR (b.unit <> '' AND b.unit = c.unit))) AS beneficiary,
             EXISTS (SELECT 1 FROM listed l WHERE l.payer = c.payer AND l.official <> c.payee
                     AND coalesce(c.unit, '') <> '' AND l.unit = c.unit) AS listed_for_colleague,
             EXISTS (SELECT 1 FROM spread s WHERE s.payer = c.payer AND s.unit = c.unit) AS pays_unit
           FROM cand c""",
        [max_return_ratio, min_officials if min_officials > 0 else 1 << 30],
    )
    out: dict[tuple[str, str], str] = {}
    for row in rows:
        basis = next((b for b in BASES if row[b]), None)
        if basis is not None:
            out[(row["payee"], row["payer"])] = basis
    return out
