"""`groups.display_name`: members' display names must follow the real-name pattern (实名备注).

咸阳 管理办法: on joining a work group a member sets a real-name display name, commonly
单位-姓名. The pattern is configurable (`{unit}`, `{name}`, `{post}` separated by dashes,
underscores, dots or spaces), and the name in it must be the roster's real name, so a
nickname, a missing display name or somebody else's name are all leads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import arrow, connect
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity, Subject

# Characters people use between unit and name (after NFKC, so full-width forms fold in).
SEPARATORS: Final = "-—–_·・|/ "
_SEP_CLASS: Final = "[" + re.escape(SEPARATORS) + "]"
_TOKEN_RE: Final = re.compile(r"\{(unit|name|post)\}")

def pattern_regex(pattern: str) -> str:
    """RE2 regex with named groups for a display-name pattern such as `{unit}-{name}`."""
    out, pos = ["^"], 0
    for m in _TOKEN_RE.finditer(pattern):
        literal = pattern[pos:m.start()]
        out.append(_SEP_CLASS + "+" if literal and all(c in SEPARATORS for c in literal)
                   else re.escape(literal))
        out.append(f"(?P<{m.group(1)}>[^{re.escape(SEPARATORS)}]+)")
        pos = m.end()
    out.append(re.escape(pattern[pos:]) + "$")
    return "".join(out)


class DisplayNameConfig(BaseModel):
    """Tunable parameters of a `groups.display_name` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    pattern: str = "{unit}-{name}"
    # With abbrev the shown unit may be a short form (简称) of the roster's unit, e.g. 发改局
    # for 县发展和改革局; with exact it must be the roster's unit itself.
    unit_match: Literal["abbrev", "exact"] = "abbrev"
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])
    registered_only: bool = False
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()

    @field_validator("pattern")
    @classmethod
    def _pattern_has_name(cls, value: str) -> str:
        tokens = _TOKEN_RE.findall(value)
        if "name" not in tokens:
            raise ValueError("the pattern must contain {name}")
        if len(tokens) != len(set(tokens)):
            raise ValueError("each of {unit}, {name}, {post} may appear once")
        if re.search(r"\}\{", value):
            raise ValueError("fields in the pattern must be separated, e.g. {unit}-{name}")
        return value


class DisplayName:
    """One `display_name` finding per current member whose display name breaks the pattern."""

    name: ClassVar[str] = "groups.display_name"
    Config: ClassVar[type[BaseModel]] = DisplayNameConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Parse every display name once per pattern (Arrow RE2 kernels), compare with roster."""
        if not triggers:
            return []
        con = connect(tables)
        members = arrow(con, """
            SELECT cm.group_id, coalesce(g.name, '') AS group_name, coalesce(g.type, '') AS type,
                   coalesce(g.registered, false) AS registered, cm.person_id,
                   coalesce(cm.display_name, '') AS display_name, p.name, p.unit, p.post
            FROM current_members cm JOIN groups g USING (group_id)
            JOIN people_x p USING (person_id)
            ORDER BY cm.group_id, cm.person_id""")
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, DisplayNameConfig)
            findings.extend(self._check(trigger, cfg, members))
        return merge_same_subject(findings)

    def _check(self, trigger: Trigger, cfg: DisplayNameConfig, members: pa.Table) -> list[Finding]:
        shown = pc.utf8_trim_whitespace(pc.utf8_normalize(members["display_name"], "NFKC"))
        parsed = pc.extract_regex(shown, pattern_regex(cfg.pattern))
        tokens = set(_TOKEN_RE.findall(cfg.pattern))
        problem = pa.array([None] * members.num_rows, pa.string())
        shown_val = pa.array([None] * members.num_rows, pa.string())
        real_val = pa.array([None] * members.num_rows, pa.string())
        # Evaluated in priority order: a later problem only fills rows still without one.
        checks: list[tuple[str, pa.Array, pa.Array | None, pa.Array | None]] = [
            ("missing", pc.equal(pc.utf8_length(shown), 0), None, None),
            ("pattern", pc.is_null(parsed), None, None),
        ]
        fields = {f: pc.struct_field(parsed, f) for f in tokens}
        checks.append(("name_mismatch", pc.not_equal(fields["name"], members["name"]),
                       fields["name"], members["name"]))
        if "unit" in tokens:
            unit_ok = (pc.equal(fields["unit"], members["unit"]) if cfg.unit_match == "exact"
                       else _contained(fields["unit"], members["unit"]))
            checks.append(("unit_mismatch", pc.invert(unit_ok), fields["unit"], members["unit"]))
        if "post" in tokens:
            checks.append(("post_mismatch", pc.invert(_contained(fields["post"], members["post"])),
                           fields["post"], members["post"]))
        for code, bad, shown_f, real_f in checks:
            take = pc.and_(pc.is_null(problem), pc.fill_null(bad, False))
            problem = pc.if_else(take, code, problem)
            if shown_f is not None and real_f is not None:
                shown_val = pc.if_else(take, shown_f, shown_val)
                real_val = pc.if_else(take, real_f, real_val)
        scoped = pc.invert(pc.is_in(members["type"], pa.array(cfg.exempt_types, pa.string())))
        if cfg.registered_only:
            scoped = pc.and_(scoped, members["registered"])
        keep = pc.and_(pc.is_valid(problem), scoped)
        hits = members.append_column("problem", problem).append_column("shown", shown_val)
        hits = hits.append_column("real", real_val).filter(keep)
        findings = []
        for r in hits.to_pylist():
            gid, gname = r["group_id"], r["group_name"]
            findings.append(group_finding(
                trigger, detector=self.name, kind="display_name", category=Category.GOVERNANCE,
                severity=cfg.severity, group_id=gid, person_id=r["person_id"],
                subject=Subject.PERSON, subject_id=r["person_id"],
                reason_key=self.name,
                reason_facts={"person_id": r["person_id"], "name": r["name"], "group_id": gid, "group_name": gname,
                              "problem": r["problem"], "display": r["display_name"], "pattern": cfg.pattern,
                              "shown": r["shown"], "real": r["real"]},
                facts={"group_name": gname, "problem": r["problem"], "display_name": r["display_name"],
                       "pattern": cfg.pattern, "roster_name": r["name"], "roster_unit": r["unit"]},
                evidence=r["display_name"], score=cfg.weights.breach,
            ))
        return findings


def _contained(shown: pa.Array, real: pa.Array) -> pa.Array:
    """Row-wise: the shown text is a short form of the roster's text.

    Chinese unit short forms (简称) keep the full name's characters in order: 发改局 for
    县发展和改革局, 县委办 for 县委办公室. So "short form" is an in-order subsequence. This runs
    once per membership row (thousands), not per message.
    """
    out = [bool(s) and r is not None and _subsequence(s, r)
           for s, r in zip(shown.to_pylist(), real.to_pylist(), strict=True)]
    return pa.array(out, pa.bool_())


def _subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(c in chars for c in short)
