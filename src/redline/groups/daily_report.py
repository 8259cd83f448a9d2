"""`groups.daily_report`: members of a daily-report group who posted no progress report on a working day.

The city secretary's rule: in key work groups, progress is reported in the group every day
(每天汇报进展). On each working day of China's calendar (调休 included) within a group's
reporting period, every member who must report needs at least one report message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger
from redline.groups.finding import config_of, group_finding, person_label
from redline.groups.frame import connect, rows
from redline.groups.workdays import Outside, working_days
from redline.vocab import Category, Severity, Subject

# A report is a text message of the group, long enough and (if terms are given) naming progress.
_REPORTS = """
CREATE OR REPLACE TEMP TABLE reports AS
SELECT gm.group_id, gm.sender, gm.day, min(gm.id) AS first_id
FROM group_messages gm JOIN groups g USING (group_id)
WHERE coalesce(g.daily_report, false) AND gm.type IN ('text', 'file')
  AND length(coalesce(gm.text, '')) >= ?
  AND (len(?::VARCHAR[]) = 0 OR len(list_filter(?::VARCHAR[], lambda t: contains(gm.text, t))) > 0)
GROUP BY ALL
"""

# Reporting period per group: the configured one, else from its first to last report day.
_MISSED = """
WITH period AS (
  SELECT group_id, coalesce(?::DATE, min(day)) AS p_start,
         least(coalesce(?::DATE, max(day)), (SELECT as_of FROM ref_date)) AS p_end
  FROM reports GROUP BY group_id
), due AS (
  SELECT m.group_id, m.person_id, p.name, p.post, g.name AS group_name,
         greatest(pe.p_start, m.joined) AS d_start,
         least(pe.p_end, coalesce(m."left" - 1, pe.p_end)) AS d_end
  FROM memberships m JOIN groups g USING (group_id) JOIN period pe USING (group_id)
  JOIN people_x p USING (person_id)
  WHERE coalesce(g.daily_report, false) AND p.is_official AND NOT p.external
    AND NOT (? AND m.person_id = coalesce(g.owner_id, ''))
    AND len(list_filter(?::VARCHAR[], lambda t: contains(p.post, t))) = 0
)
SELECT d.group_id, d.group_name, d.person_id, d.name, d.post, d.d_start, d.d_end,
       list(w.day ORDER BY w.day) AS missed, count(*) AS n_missed,
       (SELECT count(*) FROM workdays w2 WHERE w2.day BETWEEN d.d_start AND d.d_end) AS n_due
FROM due d JOIN workdays w ON w.day BETWEEN d.d_start AND d.d_end
ANTI JOIN reports r ON r.group_id = d.group_id AND r.sender = d.person_id AND r.day = w.day
GROUP BY ALL HAVING count(*) >= ?
ORDER BY d.group_id, d.person_id
"""


class DailyReportConfig(BaseModel):
    """Tunable parameters of a `groups.daily_report` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_chars: int = Field(6, ge=1)  # "收到" or "好的" is an acknowledgement, not a report
    report_terms: list[str] = Field(default_factory=lambda: [
        "进展", "汇报", "完成", "今日", "今天", "日报", "进度", "推进", "已", "累计"])
    start: date | None = None  # reporting period; default: first to last report in the group
    end: date | None = None
    exempt_owner: bool = True  # the owner collects the reports
    exempt_posts: list[str] = Field(default_factory=list)  # e.g. ["县长"]: leaders read, staff report
    min_missed_days: int = Field(1, ge=1)
    outside_calendar: Outside = "weekdays"
    severity: Severity = Severity.LOW


class DailyReport:
    """One `daily_report_missed` finding per (group, member) with the missed working days."""

    name: ClassVar[str] = "groups.daily_report"
    Config: ClassVar[type[BaseModel]] = DailyReportConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Member × working-day grid minus report days, in DuckDB; one row per late member."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_of(trigger, DailyReportConfig)
            terms = cfg.report_terms
            con.execute(_REPORTS, [cfg.min_chars, terms, terms])
            [span] = con.execute("SELECT min(day), max(day) FROM reports").fetchall()
            if span[0] is None:
                continue  # no daily-report group has any report: nothing to measure against
            start, end = cfg.start or span[0], min(cfg.end or span[1], span[1])
            days, guessed = working_days(start, end, cfg.outside_calendar)
            con.register("workdays", days)
            found = rows(con, _MISSED, [cfg.start, cfg.end, cfg.exempt_owner, cfg.exempt_posts,
                                        cfg.min_missed_days])
            findings.extend(self._finding(trigger, cfg, r, guessed) for r in found)
        return findings

    def _finding(self, trigger: Trigger, cfg: DailyReportConfig, r: dict[str, object],
                 guessed: bool) -> Finding:
        missed: list[date] = r["missed"]  # type: ignore[assignment]
        who = person_label(str(r["person_id"]), r["name"])  # type: ignore[arg-type]
        gid, gname = str(r["group_id"]), str(r["group_name"])
        shown = "、".join(d.isoformat() for d in missed[:5]) + (" 等" if len(missed) > 5 else "")
        shown_en = ", ".join(d.isoformat() for d in missed[:5]) + (" …" if len(missed) > 5 else "")
        note = "（部分年份无官方调休安排，按周一至周五计）" if guessed else ""
        note_en = " (no official calendar for some years: Monday–Friday assumed)" if guessed else ""
        return group_finding(
            trigger, detector=self.name, kind="daily_report_missed", category=Category.GOVERNANCE,
            severity=cfg.severity, group_id=gid, person_id=str(r["person_id"]),
            subject=Subject.PERSON, subject_id=str(r["person_id"]),
            reason=(f"{who}在需每日汇报的工作群“{gname}”({gid})中，{r['d_start']} 至 {r['d_end']} "
                    f"的 {r['n_due']} 个工作日里有 {r['n_missed']} 天未汇报工作进展（{shown}）{note}。"),
            reason_en=(f"{who} posted no progress report in daily-report group '{gname}' ({gid}) "
                       f"on {r['n_missed']} of {r['n_due']} working days between {r['d_start']} "
                       f"and {r['d_end']} ({shown_en}){note_en}."),
            facts={"group_name": gname, "missed_days": missed, "n_missed": r["n_missed"],
                   "n_due": r["n_due"], "period": [r["d_start"], r["d_end"]],
                   "calendar": "weekdays" if guessed else "chinese_calendar"},
        )
