"""Small hand-built bundles for the group checks: rows in, `BundleTables` out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from pydantic import BaseModel

from redline.bundle.schema import BY_TABLE
from redline.contracts import BuildContext, BundleTables, Hit, RecordAnalyzer, Trigger

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _coerce(value: Any, typ: pa.DataType) -> Any:
    if isinstance(value, str) and pa.types.is_timestamp(typ):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
    if isinstance(value, str) and pa.types.is_date(typ):
        return date.fromisoformat(value)
    return value


def table(name: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts, dates as ISO strings allowed) → Arrow table with the canonical schema."""
    schema = BY_TABLE[name].schema
    cols = {f.name: [_coerce(r.get(f.name), f.type) for r in rows] for f in schema}
    return pa.Table.from_pydict(cols, schema=schema)


def make_bundle(**rows: Sequence[Mapping[str, Any]]) -> BundleTables:
    """A bundle from rows per table; absent tables are empty."""
    names = ("people", "relations", "groups", "memberships", "messages", "payments", "events")
    unknown = set(rows) - set(names)
    if unknown:
        raise KeyError(unknown)
    return BundleTables(**{n: table(n, rows.get(n, ())) for n in names})


def person(pid: str, name: str, unit: str = "财政局", post: str = "科员", *, official: bool = True,
           external: bool = False, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    return {"person_id": pid, "name": name, "unit": unit, "post": post, "is_official": official,
            "external": external, "start_date": start, "end_date": end}


def member(gid: str, pid: str, display: str | None, joined: str = "2026-01-05",
           left: str | None = None) -> dict[str, Any]:
    return {"group_id": gid, "person_id": pid, "display_name": display, "joined": joined, "left": left}


def group(gid: str, name: str, owner: str | None, *, type_: str = "department", registered: bool = True,
          classification: str = "", daily: bool = False) -> dict[str, Any]:
    return {"group_id": gid, "name": name, "type": type_, "owner_id": owner, "registered": registered,
            "classification": classification, "daily_report": daily}


def msg(mid: str, time: str, conv: str, sender: str, text: str, type_: str = "text",
        attachment: str | None = None) -> dict[str, Any]:
    return {"id": mid, "time": time, "conversation": conv, "sender": sender, "type": type_,
            "text": text, "attachment": attachment}


class TermsConfig(BaseModel):
    """Config of the test term detector: the first field takes a lexicon name, as in packs."""

    lexicon: list[str] = []
    terms: list[str] = []


class TermDetector:
    """A real (if naive) TextDetector over term lists: finds every occurrence of each term."""

    def __init__(self, name: str, triggers: Sequence[Trigger], ctx: BuildContext) -> None:
        self.name = name  # type: ignore[misc]
        self.terms = []
        for t in triggers:
            cfg = t.config
            words = list(cfg.terms) + [w for name in cfg.lexicon for w in ctx.lexicons[name]]
            self.terms += [(t.label, w.split("|")[0]) for w in words]

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        hits = []
        for row, text in enumerate(texts):
            for label, term in self.terms:
                start = text.find(term)
                while start >= 0:
                    hits.append(Hit(row, self.name, label, start, start + len(term), 0.9, f"term {term}"))
                    start = text.find(term, start + 1)
        return hits


def term_factory(key: str, default_terms: Sequence[str]) -> type:
    """A TextDetectorFactory class named `key` whose default terms stand in for the engine's."""

    class Config(TermsConfig):
        terms: list[str] = list(default_terms)

    class Factory:
        name = key
        Config_ = Config

        @classmethod
        def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> TermDetector:
            return TermDetector(key, triggers, ctx)

    Factory.Config = Config  # type: ignore[attr-defined]
    return Factory


# Stand-ins with the registry's keys, used until the text engine's detectors are registered.
TEXT_DETECTORS = {
    "secret_marks": term_factory("secret_marks", ["绝密", "机密★", "秘密★", "内部资料"]),
    "doc_number": term_factory("doc_number", ["〔2026〕12号"]),
    "flattery": term_factory("flattery", []),
    "canvassing": term_factory("canvassing", []),
    "lexicon": term_factory("lexicon", []),
}


def analyzer(cls: type[RecordAnalyzer], triggers: Sequence[Trigger], *, stand_ins: bool = True) -> Any:
    """`cls` made as a plan makes it: its text probes compiled for `triggers` by the rules
    compiler, with the stand-in detectors above (or the registry's, `stand_ins=False`)."""
    from redline.registry import RECORD_ANALYZERS
    from redline.rules.compile import record_plan
    from redline.rules.load import Registry
    from redline.scan.records import analyzer_for

    registry = Registry(TEXT_DETECTORS, RECORD_ANALYZERS) if stand_ins else Registry.default()
    return analyzer_for(cls, record_plan({cls.name: triggers}, registry=registry))


class Kit:
    """The row builders, handed to tests as one fixture (tests never import conftest)."""

    analyzer = staticmethod(analyzer)

    make = staticmethod(make_bundle)
    person = staticmethod(person)
    member = staticmethod(member)
    group = staticmethod(group)
    msg = staticmethod(msg)
    text_detectors = TEXT_DETECTORS


@pytest.fixture
def kit() -> type[Kit]:
    return Kit
