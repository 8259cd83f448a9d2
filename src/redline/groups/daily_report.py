"""`groups.daily_report`: members of a daily-report group who posted no progress report on a working day.

The city secretary's rule: in key work groups, progress is reported in the group every day
(每天汇报进展). The bundle does not say who must report, so the data says it: a reporting
party is one that reported on at least `min_reports` days. By default (`party: auto`) the
party is the unit when the group's officials come from several units (专项工作群 collect one
report per unit) and each member when they all belong to one unit (a department's own group,
where "the unit reported" would always be true). On every working day of China's calendar
(调休 included) in the group's reporting period, each party needs a report, except on the
reporter's approved leave (events.csv, kind `leave`); a missed day is a lead that names the
party's reporter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import connect, rows
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity, Subject
from redline.workdays import Outside, working_days

# A report: an official member's text or file message in a daily-report group, long enough,
# with a figure in it, and naming progress (terms); the owner collects rather than reports.
_UNITS = """
CREATE OR REPLACE TEMP TABLE report_group_units AS
SELECT m.group_id, count(DISTINCT p.unit) AS n_units
FROM memberships m JOIN people_x p ON p.person_id = m.person_id
WHERE p.is_official AND NOT p.external GROUP BY m.group_id
"""
_LEAVE = """
CREATE OR REPLACE TEMP TABLE approved_leave AS
SELECT DISTINCT person_id, date AS day FROM events WHERE kind = 'leave' AND person_id IS NOT NULL
"""
_REPORTS = """
CREATE OR REPLACE TEMP TABLE reports AS
SELECT gm.group_id, gm.sender, p.unit, by_unit, CASE WHEN by_unit THEN p.unit ELSE gm.sender END AS party,
       gm.day, min(gm.id) AS first_id
FROM group_messages gm JOIN groups g USING (group_id) JOIN people_x p ON p.person_id = gm.sender
LEFT JOIN report_group_units gu USING (group_id),
LATERAL (SELECT ? = 'unit' OR (? = 'auto' AND coalesce(gu.n_units, 1) > 1) AS by_unit)
WHERE coalesce(g.daily_report, false) AND p.is_official AND NOT p.external
  AND coalesce(gm.type, 'text') IN ('text', 'file')
  AND length(coalesce(gm.text, '')) >= ?
  AND (NOT ? OR regexp_matches(gm.text, '[0-9０-９]'))
  AND regexp_matches(gm.text, ?)
  AND NOT (? AND gm.sender = coalesce(g.owner_id, ''))
GROUP BY ALL
"""

_MISSED = """
WITH period AS (
  SELECT group_id, coalesce(?::DATE, min(day)) AS p_start,
         least(coalesce(?::DATE, max(day)), (SELECT as_of FROM ref_date)) AS p_end
  FROM reports GROUP BY group_id
), parties AS (
  SELECT group_id, party, bool_or(by_unit) AS by_unit, count(DISTINCT day) AS n_days, max(day) AS last_day,
         list(sender ORDER BY sender) AS senders, mode(sender) AS reporter
  FROM reports GROUP BY ALL HAVING count(DISTINCT day) >= ?
), due AS (
  SELECT pa.*, g.name AS group_name, pe.p_start AS d_start, pe.p_end AS d_end
  FROM parties pa JOIN period pe USING (group_id) JOIN groups g USING (group_id)
)
SELECT d.group_id, d.group_name, d.party, d.by_unit, d.reporter, p.name, p.unit, d.last_day,
       list_distinct(d.senders) AS senders, d.d_start, d.d_end,
       list(w.day ORDER BY w.day) AS missed, count(*) AS n_missed,
       (SELECT count(*) FROM workdays w2 WHERE w2.day BETWEEN d.d_start AND d.d_end) AS n_due
FROM due d JOIN workdays w ON w.day BETWEEN d.d_start AND d.d_end
LEFT JOIN people_x p ON p.person_id = d.reporter
ANTI JOIN reports r ON r.group_id = d.group_id AND r.party = d.party AND r.day = w.day
ANTI JOIN approved_leave l ON l.person_id = d.reporter AND l.day = w.day
GROUP BY ALL HAVING count(*) >= ?
ORDER BY d.group_id, d.party
"""


class DailyReportConfig(BaseModel):
    """Tunable parameters of a `groups.daily_report` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    # who owes a report each working day; auto: each member when the officials share one unit
    party: Literal["auto", "unit", "member"] = "auto"
    min_chars: int = Field(12, ge=1)  # "收到" or "好的" is an acknowledgement, not a report
    require_figure: bool = True  # progress reports carry numbers: 收购462吨, 接种120人
    report_terms: list[str] = Field(default_factory=lambda: [
        "进展", "汇报", "日报", "今日", "今天", "本日", "累计", "完成", "情况"])
    min_reports: int = Field(5, ge=1)  # a party that reported this often is expected to report
    start: date | None = None  # reporting period; default: first to last report in the group
    end: date | None = None
    exempt_owner: bool = True  # the owner collects the reports
    min_missed_days: int = Field(1, ge=1)  # a pack may ask for more before a lead is raised
    outside_calendar: Outside = "weekdays"
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class DailyReport:
    """One `daily_report_missed` finding per (group, party) with the missed working days."""

    name: ClassVar[str] = "groups.daily_report"
    Config: ClassVar[type[BaseModel]] = DailyReportConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Party × working-day grid minus report days, in DuckDB; one row per late party."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, DailyReportConfig)
            # one RE2 alternation per query, not a list of `contains` per message
            terms = "|".join(re.escape(t) for t in cfg.report_terms) or "$^"
            con.execute(_UNITS)
            con.execute(_LEAVE)
            con.execute(_REPORTS, [cfg.party, cfg.party, cfg.min_chars, cfg.require_figure, terms, cfg.exempt_owner])
            [span] = con.execute("SELECT min(day), max(day) FROM reports").fetchall()
            if span[0] is None:
                continue  # no daily-report group has any report: nothing to measure against
            start, end = cfg.start or span[0], min(cfg.end or span[1], span[1])
            days, guessed = working_days(start, end, cfg.outside_calendar)
            con.register("workdays", days)
            found = rows(con, _MISSED, [cfg.start, cfg.end, cfg.min_reports, cfg.min_missed_days])
            findings.extend(self._finding(trigger, cfg, r, guessed) for r in found)
        return merge_same_subject(findings)

    def _finding(self, trigger: Trigger, cfg: DailyReportConfig, r: dict[str, object],
                 guessed: bool) -> Finding:
        missed: list[date] = r["missed"]  # type: ignore[assignment]
        gid, gname = str(r["group_id"]), str(r["group_name"])
        return group_finding(
            trigger, detector=self.name, kind="daily_report_missed", category=Category.GOVERNANCE,
            severity=cfg.severity, group_id=gid, person_id=str(r["reporter"]),
            subject=Subject.PERSON, subject_id=str(r["reporter"]),
            reason_key=self.name,
            reason_facts={"reporter": str(r["reporter"]), "name": r["name"], "party": r["party"],
                          "by_unit": bool(r["by_unit"]), "group_id": gid, "group_name": gname,
                          "start": r["d_start"], "end": r["d_end"], "n_due": r["n_due"], "n_missed": r["n_missed"],
                          "missed": missed, "last_report": r["last_day"], "guessed": guessed},
            score=cfg.weights.breach,
            facts={"group_name": gname, "party": r["party"], "reporters": r["senders"],
                   "missed_days": missed, "n_missed": r["n_missed"], "n_due": r["n_due"],
                   "period": [r["d_start"], r["d_end"]], "last_report": r["last_day"],
                   "calendar": "weekdays" if guessed else "chinese_calendar"},
        )
