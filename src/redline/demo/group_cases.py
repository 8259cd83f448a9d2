"""Planted message and work-group cases: a forwarded article with a comment, a classified notice,
members who changed posts, and the Xianyang governance rules (registration, 群主, 实名备注,
external members, flattery of the 群主, daily reports), plus near-misses.

The disparaging comment uses the neutral placeholder term 示例违规术语A: political term lists
are organisation-supplied, and Redline ships none.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from redline.demo.group_cases_data import CLASSIFIED_NOTICE, DOC_NUMBER, MARKING
from redline.demo.groups import Group
from redline.demo.org import add_party
from redline.demo.planter import Planter, when
from redline.demo.units import BY_CODE, official_id
from redline.vocab import Category, GroupType

PLACEHOLDER_TERM: Final = "示例违规术语A"
GRACE_DAYS: Final = 30  # 职务变动可申请退群: a member who moved should be out within a month


def _department_group(unit_code: int) -> str:
    return f"G{10 + unit_code:03d}"


def forwarded_article(p: Planter) -> None:
    """Seed case: an official forwards an article (link) into a work group with a comment."""
    official = official_id(15, "副局长", 0)
    gid = _department_group(15)
    day = date(2023, 10, 19)
    link = p.say("forward", when(day, 21, 47), gid, official,
                 "如何看待近期的若干政策调整？一文读懂 https://mp.weixin.qq.com/s/Qx7dEmoArticle01", "link")
    comment = p.say("forward", when(day, 21, 48), gid, official,
                    f"这篇文章说得透，我看就是{PLACEHOLDER_TERM}，大家看看")
    reply = p.say("forward", when(day, 22, 3), gid, official_id(15, "政委"), "工作群不要转发这类文章，请撤回")
    p.cases["forwarded_article"] = {
        "seed_case": 3, "title": "公安局副局长在工作群转发文章并发表评论", "person_id": official,
        "group_id": gid, "message_ids": [link, comment], "context_message_ids": [reply],
        "link_message_id": link, "comment_message_id": comment, "term": PLACEHOLDER_TERM,
        "expected": {"category": Category.POLITICAL, "detectors": ["lexicon"], "rule_ids": ["TJ-02", "WG-01", "WH-01"],
                     "note": "the term list is organisation-supplied: flagged once the organisation lists the term"},
    }


def classified_notice(p: Planter) -> None:
    """Seed theme: a classified notice (机密★1年, with a 文号) pasted into a work group."""
    sender = official_id(1, "督查室主任")
    gid = _department_group(1)
    day = date(2023, 12, 27)
    mid = p.say("classified", when(day, 10, 22), gid, sender, CLASSIFIED_NOTICE)
    warn = p.say("classified", when(day, 10, 31), gid, official_id(1, "保密科科长"),
                 "这个文件不能发群里，上网不涉密、涉密不上网，请马上撤回")
    p.cases["classified_notice"] = {
        "seed_case": 4, "title": "机密级文件全文被粘贴到单位工作群", "person_id": sender, "group_id": gid,
        "message_ids": [mid], "context_message_ids": [warn], "marking": MARKING, "doc_number": DOC_NUMBER,
        "expected": {"category": Category.SECRETS, "detectors": ["secret_marks", "doc_number"],
                     "analyzers": ["groups.classified_content"], "kind": "classified_content",
                     "rule_ids": ["TJ-07", "ZJ-02", "WH-02", "XY-06"]},
    }


def _move(p: Planter, pid: str, unit_code: int | None, post: str | None, day: date, *, retire: bool = False) -> None:
    person = p.person(pid)
    if retire:
        person.end_date = day
        return
    unit = BY_CODE[unit_code or 1]
    person.unit, person.post, person.start_date, person.short = unit.name, post or person.post, day, unit.short
    person.unit_code = unit.code


def changed_posts(p: Planter) -> None:
    """Seed theme: members who changed posts are still in their old groups after the grace period."""
    movers = [
        (official_id(9, "副局长", 1), 5, "副局长", date(2023, 10, 16), False),
        (official_id(13, "基础教育股股长"), 4, "干部科副科长", date(2023, 11, 1), False),
        (official_id(6, "国库股股长"), None, None, date(2023, 10, 31), True),
    ]
    records = []
    for pid, code, post, day, retire in movers:
        old = _department_group(p.person(pid).unit_code or 1)
        _move(p, pid, code, post, day, retire=retire)
        if code:
            p.groups[_department_group(code)].add(p.org, pid, joined=day + timedelta(days=1))
        still_in = sorted(gid for gid, g in p.groups.items() if pid in g.members and g.left[pid] is None
                          and g.type != GroupType.SOCIAL and gid != (_department_group(code) if code else ""))
        # a mover's old 单位-姓名 display names no longer match the roster: a second, expected finding
        stale_names = [gid for gid in still_in if code and not p.groups[gid].display[pid].startswith(BY_CODE[code].short)]
        records.append({"person_id": pid, "change": "retired" if retire else "moved", "date": day.isoformat(),
                        "old_unit_group": old, "still_in": still_in,
                        "new_unit": BY_CODE[code].name if code else None,
                        "display_name_mismatch_in": stale_names})
    p.cases["stale_members"] = {
        "seed_case": 7, "title": "职务变动人员仍留在原单位工作群", "grace_days": GRACE_DAYS, "members": records,
        "person_ids": [r["person_id"] for r in records], "group_ids": sorted({r["old_unit_group"] for r in records}),
        "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.stale_member"], "kind": "stale_member",
                     "rule_ids": ["XY-04"]},
    }
    # near-miss: moved, and left every old group two days later
    pid = official_id(8, "质监站站长")
    _move(p, pid, 9, "公路段副段长", date(2023, 11, 1))
    left = []
    for gid, g in p.groups.items():
        if pid in g.members and g.type != GroupType.SOCIAL:
            g.left[pid] = date(2023, 11, 3)
            left.append(gid)
    p.groups[_department_group(9)].add(p.org, pid, joined=date(2023, 11, 2))
    p.near_misses["moved_and_left"] = {"title": "调动后按时退出原单位群", "person_id": pid, "left_groups": sorted(left),
                                       "date": "2023-11-01", "must_not_flag": True}


def governance(p: Planter) -> None:
    """The Xianyang rules: registration, an owner, 单位-姓名 names, no outsiders, no flattery."""
    g44 = p.groups["G044"]
    g44.registered = False
    p.cases["unregistered_group"] = {
        "title": "未备案的工作群", "group_id": "G044",
        "official_ids": [m for m in g44.members if p.person(m).is_official],
        "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.unregistered"], "kind": "unregistered_group",
                     "rule_ids": ["XY-01"]},
    }
    p.groups["G039"].owner_id = None
    p.cases["no_owner"] = {"title": "没有群主的工作群", "group_id": "G039",
                           "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.owner"], "kind": "no_owner",
                                        "rule_ids": ["XY-02"]}}
    g17 = p.groups[_department_group(7)]
    odd = {official_id(7, "副局长", 0): "静待花开", official_id(7, "规划股股长"): "Leo",
           official_id(7, "用地股股长"): "用地股"}
    for pid, name in odd.items():
        g17.display[pid] = name
    p.cases["display_names"] = {
        "title": "群昵称未按单位-姓名实名备注", "group_id": g17.group_id, "person_ids": list(odd),
        "display_names": odd,
        "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.display_name"], "kind": "display_name",
                     "rule_ids": ["XY-03"]},
    }
    g18 = p.groups[_department_group(8)]
    outsider = add_party(p.org, p.rng, "M006", "建筑公司", [official_id(8, "建管股股长")], core=True).person_id
    g18.add(p.org, outsider, joined=date(2023, 9, 20))
    p.say("external", when(date(2023, 9, 20), 9, 0), g18.group_id, official_id(8, "建管股股长"),
          f"{p.person(outsider).name}总，有事在群里说")
    p.cases["external_member"] = {
        "title": "外部人员在单位内部工作群", "group_id": g18.group_id, "person_id": outsider,
        "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.external_member"], "kind": "external_member",
                     "rule_ids": ["XY-06"]},
    }
    _flattery(p, p.groups["G001"])


def _flattery(p: Planter, g: Group) -> None:
    owner = g.owner_id or g.members[0]
    title = p.surname_title(owner, "书记")
    day = date(2023, 11, 20)
    speakers = [m for m in g.members if m != owner][:3]
    first = p.say("flattery", when(day, 17, 40), g.group_id, owner, "今天会上讲的几点，请大家会后抓好落实")
    lines = (f"{title}高瞻远瞩，讲得太好了！", f"{title}的讲话高屋建瓴、字字珠玑，我们深受教育！",
             f"{title}英明决策，听了受益匪浅👍👍👍")
    ids = [p.say("flattery", when(day, 17, 42 + 3 * i), g.group_id, s, line)
           for i, (s, line) in enumerate(zip(speakers, lines, strict=True))]
    p.cases["owner_flattery"] = {
        "title": "工作群内吹捧群主", "group_id": g.group_id, "owner_id": owner, "person_ids": speakers,
        "message_ids": ids, "context_message_ids": [first],
        "expected": {"category": Category.FLATTERY, "detectors": ["flattery"], "analyzers": ["groups.flattery"],
                     "kind": "flattery", "rule_ids": ["WH-03"]},
    }


def daily_report_gap(p: Planter) -> None:
    """A member of a daily-report group stops sending 进展汇报 halfway through the window."""
    g = p.groups["G031"]
    pid = official_id(19, "党委书记")
    last = date(2023, 10, 20)
    p.stop_reporting[(g.group_id, pid)] = last
    window = g.report_window or (last, last)
    p.cases["daily_report_gap"] = {
        "title": "每日进展汇报群成员停止汇报", "group_id": g.group_id, "person_id": pid,
        "last_report_date": last.isoformat(), "window": [window[0].isoformat(), window[1].isoformat()],
        "expected": {"category": Category.GOVERNANCE, "analyzers": ["groups.daily_report"], "kind": "daily_report_missed",
                     "rule_ids": ["WG-04"]},
    }


def text_near_misses(p: Planter) -> None:
    """Must NOT be flagged: a notice of the county's 保密工作会议; outsiders in a liaison group."""
    gid = _department_group(1)
    mid = p.say("nm", when(date(2023, 11, 13), 16, 5), gid, official_id(1, "保密科科长"),
                "明天下午3点在县委三楼常委会议室召开全县保密工作会议，请各单位分管保密工作的领导参加。")
    p.near_misses["secrecy_meeting"] = {"title": "保密工作会议通知", "group_id": gid, "message_ids": [mid],
                                        "must_not_flag": True, "not_category": Category.SECRETS}
    liaison = p.groups["G045"]
    p.near_misses["liaison_externals"] = {  # its members are background parties: ids vary with scale
        "title": "联络群里的外部人员（联络群本就面向外部）", "group_id": liaison.group_id, "must_not_flag": True,
        "analyzer": "groups.external_member",
    }
