"""Reviewers' decisions as labelled examples for `clf.conduct` (issue 20 item 6).

A message in an alert (one incident, possibly several messages) that a reviewer escalated
into a case is a confirmed violation of the categories of its findings; one dismissed (a dismissal always carries a reason: "not a
violation", "notice", …) breaks no rule. Alerts still open, reopened ones, and alerts on
anything but a message are not examples. The message text comes from the store, as written.
"""

from __future__ import annotations

from sqlalchemy import Engine

from redline.review.examples import decision_examples
from redline.training.conduct_data import Rows, make_rows


def decision_rows(engine: Engine) -> Rows:
    """One row per message of a decided alert: its text and the confirmed categories (none if
    dismissed). The rows are `review.examples.decision_examples`, in that order, so row i came
    from decision `decision_ids(engine)[i]` (the same examples the precision figures count)."""
    examples = decision_examples(engine)
    return make_rows([e.text for e in examples], [list(e.categories) for e in examples], "decision")


def decision_ids(engine: Engine) -> list[int]:
    """The decision each row of `decision_rows` came from, row by row."""
    return [e.decision_id for e in decision_examples(engine)]
