from __future__ import annotations

from datetime import date

import pytest

from redline.contracts import Trigger
from redline.groups.daily_report import DailyReport, DailyReportConfig
from redline.groups.workdays import working_days

# 2026-10-01..07 is the National Day holiday; Saturday 2026-10-10 is a swapped working day.
WORKDAYS = ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]


def _tables(kit, daily: bool = True):  # type: ignore[no-untyped-def]
    k = kit
    people = [k.person(p, n) for p, n in (("p1", "张三"), ("p2", "李四"), ("p3", "王五"), ("p4", "赵六"))]
    msgs = []
    for i, day in enumerate(WORKDAYS):
        msgs.append(k.msg(f"a{i}", f"{day}T17:00:00+08:00", "g", "p2", "今日进展：完成入户核查12户"))
        if day != "2026-10-10":
            msgs.append(k.msg(f"b{i}", f"{day}T17:30:00+08:00", "g", "p3", "今天已完成秋粮收购3万斤"))
        text = "收到" if day == "2026-10-09" else "今日汇报：督查两个站点"
        msgs.append(k.msg(f"c{i}", f"{day}T18:00:00+08:00", "g", "p4", text))
    msgs.append(k.msg("h1", "2026-10-03T10:00:00+08:00", "g", "p2", "国庆快乐"))  # holiday chat
    return k.make(people=people, groups=[k.group("g", "秋粮收购工作群", "p1", type_="task", daily=daily)],
                  memberships=[k.member("g", p, None) for p in ("p1", "p2", "p3", "p4")], messages=msgs)


def test_missed_days_follow_the_chinese_calendar(kit) -> None:  # type: ignore[no-untyped-def]
    found = DailyReport().analyze(_tables(kit), [Trigger("CV-02", "CV-02#0", DailyReportConfig())])
    assert [(f.person_id, f.facts["missed_days"]) for f in found] == [
        ("p3", ["2026-10-10"]),   # the swapped Saturday counts; the holiday week does not
        ("p4", ["2026-10-09"]),   # "收到" is not a report
    ]
    assert found[0].kind == "daily_report_missed"
    assert "6 个工作日里有 1 天" in found[0].reason
    assert "2026-10-10" in found[0].reason


def test_no_findings_in_groups_without_daily_reports(kit) -> None:  # type: ignore[no-untyped-def]
    assert DailyReport().analyze(_tables(kit, daily=False), [Trigger("CV-02", "CV-02#0", DailyReportConfig())]) == []


def test_owner_is_exempt_unless_configured(kit) -> None:  # type: ignore[no-untyped-def]
    cfg = DailyReportConfig(exempt_owner=False, min_missed_days=6)
    found = DailyReport().analyze(_tables(kit), [Trigger("CV-02", "CV-02#0", cfg)])
    assert [(f.person_id, f.facts["n_missed"]) for f in found] == [("p1", 6)]


def test_working_days_outside_the_calendar_fall_back_to_weekdays() -> None:
    days, guessed = working_days(date(2099, 1, 2), date(2099, 1, 5))  # Fri..Mon
    assert [d.isoformat() for d in days["day"].to_pylist()] == ["2099-01-02", "2099-01-05"]
    assert guessed
    from redline.errors import ConfigError

    with pytest.raises(ConfigError):
        working_days(date(2099, 1, 2), date(2099, 1, 5), "error")
