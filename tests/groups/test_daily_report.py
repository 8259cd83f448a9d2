from __future__ import annotations

from datetime import date

import pytest

from redline.contracts import Trigger
from redline.errors import ConfigError
from redline.groups.daily_report import DailyReport, DailyReportConfig
from redline.workdays import working_days

# 2026-10-01..07 is the National Day holiday; Saturday 2026-10-10 is a swapped working day.
WORKDAYS = ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]
PEOPLE = (("p1", "张三", "农业农村局"), ("p2", "李四", "财政局"), ("p3", "王五", "粮食局"),
          ("p4", "赵六", "马庄镇"), ("p5", "钱七", "马庄镇"))


def _tables(kit, daily: bool = True):  # type: ignore[no-untyped-def]
    k = kit
    msgs = []
    for i, day in enumerate(WORKDAYS):
        msgs.append(k.msg(f"a{i}", f"{day}T17:00:00+08:00", "g", "p2", "今日进展：完成入户核查12户"))
        if day != "2026-10-10":
            msgs.append(k.msg(f"b{i}", f"{day}T17:30:00+08:00", "g", "p3", "今天已完成秋粮收购3万斤"))
        text = "收到" if day == "2026-10-09" else f"马庄镇今日汇报：督查{i + 2}个收购点情况"
        # on 10-12 the town's report comes from its other member: the unit still reported
        msgs.append(k.msg(f"c{i}", f"{day}T18:00:00+08:00", "g", "p5" if day == "2026-10-12" else "p4", text))
    msgs.append(k.msg("h1", "2026-10-03T10:00:00+08:00", "g", "p2", "国庆快乐，今天休息1天"))  # holiday chat
    msgs.append(k.msg("n1", "2026-09-30T10:00:00+08:00", "g", "p1", "今天下午3点开会，请各单位汇报情况"))
    return k.make(people=[k.person(p, n, u) for p, n, u in PEOPLE],
                  groups=[k.group("g", "秋粮收购工作群", "p1", type_="task", daily=daily)],
                  memberships=[k.member("g", p, None) for p, _, _ in PEOPLE], messages=msgs)


def _run(kit, tables, **cfg):  # type: ignore[no-untyped-def]
    trigger = Trigger("CV-02", "CV-02#0", DailyReportConfig(**{"min_reports": 4, **cfg}))
    return DailyReport().analyze(tables, [trigger])


def test_missed_days_follow_the_chinese_calendar(kit) -> None:  # type: ignore[no-untyped-def]
    found = _run(kit, _tables(kit))
    assert [(f.person_id, f.facts["party"], f.facts["missed_days"]) for f in found] == [
        ("p3", "粮食局", ["2026-10-10"]),   # the swapped Saturday counts; the holiday week does not
        ("p4", "马庄镇", ["2026-10-09"]),   # "收到" is not a report; p5 covered 10-12 for the town
    ]
    assert found[0].kind == "daily_report_missed"
    assert "6 个工作日里有 1 天" in found[0].reason
    assert "2026-10-10" in found[0].reason


def test_member_mode_holds_each_member_to_report(kit) -> None:  # type: ignore[no-untyped-def]
    found = _run(kit, _tables(kit), party="member")
    assert [(f.person_id, f.facts["missed_days"]) for f in found] == [
        ("p3", ["2026-10-10"]), ("p4", ["2026-10-09", "2026-10-12"])]


def test_no_findings_in_groups_without_daily_reports(kit) -> None:  # type: ignore[no-untyped-def]
    assert _run(kit, _tables(kit, daily=False)) == []


def test_parties_below_min_reports_are_not_held_to_it(kit) -> None:  # type: ignore[no-untyped-def]
    assert [f.person_id for f in _run(kit, _tables(kit), min_reports=6)] == []


def test_working_days_outside_the_calendar_fall_back_to_weekdays() -> None:
    # the group check's own choice (DailyReportConfig.outside_calendar); the module refuses by default
    days, guessed = working_days(date(2099, 1, 2), date(2099, 1, 5), "weekdays")  # Fri..Mon
    assert [d.isoformat() for d in days["day"].to_pylist()] == ["2099-01-02", "2099-01-05"]
    assert guessed
    with pytest.raises(ConfigError):
        working_days(date(2099, 1, 2), date(2099, 1, 5))


# A department's own group: every member is of 住建局, so "the unit reported" would always hold.
DEPARTMENT = (("d1", "周一", "住建局"), ("d2", "吴二", "住建局"), ("d3", "郑三", "住建局"), ("d4", "冯四", "住建局"))


def _department(kit, skipped: dict[str, set[str]], leave: dict[str, set[str]] | None = None):  # type: ignore[no-untyped-def]
    k = kit
    msgs = [k.msg(f"{pid}-{i}", f"{day}T17:{10 + n:02d}:00+08:00", "dg", pid, f"今日进展：完成{n + i + 3}栋危房排查")
            for i, day in enumerate(WORKDAYS) for n, (pid, _, _) in enumerate(DEPARTMENT)
            if day not in skipped.get(pid, set())]
    events = [{"event_id": f"L-{pid}-{day}", "date": day, "kind": "leave", "unit": "住建局", "person_id": pid,
               "other_id": None} for pid, days in (leave or {}).items() for day in sorted(days)]
    return k.make(people=[k.person(p, n, u) for p, n, u in DEPARTMENT],
                  groups=[k.group("dg", "危房排查日报群", "d1", type_="department", daily=True)],
                  memberships=[k.member("dg", p, None) for p, _, _ in DEPARTMENT], messages=msgs, events=events)


def test_one_unit_group_holds_each_member_to_report(kit) -> None:  # type: ignore[no-untyped-def]
    tables = _department(kit, {"d3": {"2026-10-08", "2026-10-09"}})
    found = _run(kit, tables)  # party: auto
    assert [(f.person_id, f.facts["party"], f.facts["missed_days"]) for f in found] == [
        ("d3", "d3", ["2026-10-08", "2026-10-09"])]
    assert "住建局（汇报人" not in found[0].reason  # a member's own duty, not the unit's
    assert _run(kit, tables, party="unit") == []  # the old default: vacuous here


def test_approved_leave_is_not_a_missed_day(kit) -> None:  # type: ignore[no-untyped-def]
    tables = _department(kit, {"d3": {"2026-10-08", "2026-10-09"}}, leave={"d3": {"2026-10-08"}})
    assert [(f.person_id, f.facts["missed_days"]) for f in _run(kit, tables)] == [("d3", ["2026-10-09"])]
    on_leave = _department(kit, {"d3": {"2026-10-08", "2026-10-09"}}, leave={"d3": {"2026-10-08", "2026-10-09"}})
    assert _run(kit, on_leave) == []


@pytest.mark.parametrize(("minimum", "flagged"), [(1, ["d2", "d3"]), (2, ["d3"]), (3, [])])
def test_a_pack_sets_the_minimum_missed_days(kit, minimum: int, flagged: list[str]) -> None:  # type: ignore[no-untyped-def]
    tables = _department(kit, {"d2": {"2026-10-12"}, "d3": {"2026-10-08", "2026-10-09"}})
    assert [f.person_id for f in _run(kit, tables, min_missed_days=minimum)] == flagged
