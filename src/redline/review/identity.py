"""Who a pseudonym stands for: the organisation's masker, and revealing one identity.

Revealing is for investigators only, needs a written reason, and is always audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError, NotFound
from redline.review import audit_log
from redline.review.accounts import Actor, Perm
from redline.review.pseudonyms import Masker
from redline.store.tables.org import Membership, Person


def load_masker(engine: Engine, key: bytes) -> Masker:
    """A masker knowing every person's name and every display name (实名备注) in the store."""
    with Session(engine) as session:
        pairs = [(pid, name) for pid, name in session.execute(select(Person.person_id, Person.name))]
        # display names such as 财政局-张伟 are masked whole, as the person they belong to
        pairs += [(pid, name) for pid, name in session.execute(
            select(Membership.person_id, Membership.display_name).where(Membership.display_name != ""))]
    return Masker.build(key, pairs)


@dataclass(frozen=True, slots=True)
class Identity:
    """A revealed person."""

    person_id: str
    name: str
    unit: str
    post: str


def reveal(engine: Engine, actor: Actor, person_id: str, reason: str, case_id: int | None = None) -> Identity:
    """The real identity behind a pseudonym; investigators only, with a reason; audited (with
    the case it was revealed for, if any: a case's letter names only people revealed in it)."""
    actor.require(Perm.REVEAL)
    reason = reason.strip()
    if len(reason) < 4:
        raise ConfigError("revealing an identity needs a written reason")
    with Session(engine) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person {person_id}")
        identity = Identity(person.person_id, person.name, person.unit, person.post)
    detail: dict[str, object] = {"reason": reason}
    if case_id is not None:
        detail["case_id"] = case_id
    audit_log.record(engine, actor.username, actor.role, "identity.reveal", f"person:{person_id}", detail)
    return identity
