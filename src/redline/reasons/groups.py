"""Reason templates of the work-group checks (`groups.*`), Chinese first, English second.

People are named as `张三(p001)` (`person_label`), groups as `“name”(id)`; long id lists are
quoted up to five (`quote_ids`), the full lists stay in the finding's facts.
"""

from __future__ import annotations

import re
from typing import Final

from redline.reasons.template import Facts, TemplateTable
from redline.reasons.words import person_label, quote_ids, quote_ids_en

GROUPS: Final = TemplateTable("groups.")

_FIELD_WORDS: Final = {"zh": {"unit": "单位", "name": "姓名", "post": "职务"},
                       "en": {"unit": "unit", "name": "name", "post": "post"}}

# What is wrong with a display name (groups.display_name problem code) → (中文, English).
DISPLAY_PROBLEMS: Final = {
    "missing": ("未设置群备注名", "has no display name"),
    "pattern": ("群备注名“{display}”不符合“{pattern}”格式",
                "display name '{display}' does not follow the pattern '{pattern}'"),
    "name_mismatch": ("群备注名“{display}”中的姓名“{shown}”与名册实名“{real}”不符",
                      "display name '{display}' shows the name '{shown}', not the real name '{real}'"),
    "unit_mismatch": ("群备注名“{display}”中的单位“{shown}”与名册单位“{real}”不符",
                      "display name '{display}' shows the unit '{shown}', not the roster's unit '{real}'"),
    "post_mismatch": ("群备注名“{display}”中的职务“{shown}”与名册职务“{real}”不符",
                      "display name '{display}' shows the post '{shown}', not the roster's post '{real}'"),
}

# What is wrong with a group's owner (groups.owner problem code) → (中文, English).
OWNER_PROBLEMS: Final = {
    "missing": ("未指定群主", "has no owner"),
    "unknown": ("群主 {owner} 不在人员名册中", "owner {owner} is not in the roster"),
    "not_official": ("群主 {owner} 不是公职人员", "owner {owner} is not an official"),
    "external": ("群主 {owner} 是外部人员", "owner {owner} is an outsider"),
    "post_ended": ("群主 {owner} 已于 {end} 离任", "owner {owner} left the post on {end}"),
    "owner_left": ("群主 {owner} 已于 {left} 退群", "owner {owner} left the group on {left}"),
    "other_unit": ("群主 {owner} 属于{owner_unit}，不是本单位（{unit}）人员",
                   "owner {owner} belongs to {owner_unit}, not to the group's unit {unit}"),
}

# Personnel events a circle gathers around (events.csv kind → 中文).
EVENT_KIND_ZH: Final = {"election": "换届选举", "promotion": "干部提拔", "bid": "招投标", "approval": "审批",
                        "inspection": "检查"}


def pattern_words(pattern: str, lang: str) -> str:
    """A display-name pattern as a reader says it: `{unit}-{name}` → 单位-姓名 (reasons never
    show the placeholder syntax)."""
    words = _FIELD_WORDS[lang]
    return re.sub(r"\{(\w+)\}", lambda m: words.get(m.group(1), m.group(1)), pattern)


@GROUPS.add("groups.classified_content", {
    "person_id": "p1", "name": "张三", "group_id": "G1", "group_name": "县委办工作群", "first": "2026-03-01",
    "last": "2026-03-04", "marks": ["机密★1年"], "message_ids": ["m1", "m2"]})
def _classified_content(f: Facts) -> tuple[str, str]:
    who, first, last, gid, gname = person_label(f["person_id"], f["name"]), f["first"], f["last"], f["group_id"], f["group_name"]
    ids, marks = f["message_ids"], f["marks"]
    zh = (f"{who}{f'于 {first}' if first == last else f'于 {first} 至 {last}'} 在群“{gname}”({gid})发布 {len(ids)} 条"
          f"疑似涉密内容（{quote_ids(marks)}；消息 {quote_ids(ids)}），"
          "违反“上网不涉密、涉密不上网”。")
    en = (f"{who} posted {len(ids)} message(s) with apparent classified content "
          f"({quote_ids_en(marks)}; messages {quote_ids_en(ids)}) in group "
          f"'{gname}' ({gid}) " + (f"on {first}." if first == last else f"between {first} and {last}."))
    return zh, en


@GROUPS.add("groups.daily_report", {
    "reporter": "p1", "name": "张三", "party": "粮食局", "by_unit": True, "group_id": "G1", "group_name": "秋粮收购日报群",
    "start": "2026-09-01", "end": "2026-09-30", "n_due": 21, "n_missed": 2, "missed": ["2026-09-10", "2026-09-11"],
    "last_report": "2026-09-29", "guessed": False})
def _daily_report(f: Facts) -> tuple[str, str]:
    who = person_label(f["reporter"], f["name"])
    if f["by_unit"]:
        who, who_en = f"{f['party']}（汇报人 {who}）", f"{f['party']} (reporter {who})"
    else:
        who_en = who
    gid, gname, missed = f["group_id"], f["group_name"], f["missed"]
    shown = "、".join(str(d) for d in missed[:5]) + (" 等" if len(missed) > 5 else "")
    shown_en = ", ".join(str(d) for d in missed[:5]) + (" …" if len(missed) > 5 else "")
    note = "（部分年份无官方调休安排，按周一至周五计）" if f["guessed"] else ""
    note_en = " (no official calendar for some years: Monday–Friday assumed)" if f["guessed"] else ""
    zh = (f"{who}在需每日汇报的工作群“{gname}”({gid})中，{f['start']} 至 {f['end']} "
          f"的 {f['n_due']} 个工作日里有 {f['n_missed']} 天未汇报工作进展（{shown}），"
          f"最后一次汇报在 {f['last_report']}{note}。")
    en = (f"{who_en} posted no progress report in daily-report group '{gname}' ({gid}) "
          f"on {f['n_missed']} of {f['n_due']} working days between {f['start']} "
          f"and {f['end']} ({shown_en}); last report on {f['last_report']}{note_en}.")
    return zh, en


@GROUPS.add("groups.display_name", {
    "person_id": "p1", "name": "张三", "group_id": "G1", "group_name": "粮食局工作群", "problem": "name_mismatch",
    "display": "粮食局-张小三", "pattern": "{unit}-{name}", "shown": "张小三", "real": "张三"})
def _display_name(f: Facts) -> tuple[str, str]:
    zh, en = (t.format(display=f["display"], pattern=pattern_words(f["pattern"], lang), shown=f["shown"], real=f["real"])
              for t, lang in zip(DISPLAY_PROBLEMS[f["problem"]], ("zh", "en"), strict=True))
    who, gid, gname = person_label(f["person_id"], f["name"]), f["group_id"], f["group_name"]
    return (f"{who}在工作群“{gname}”({gid}){zh}，未按规定实名备注。",
            f"{who} in work group '{gname}' ({gid}) {en}; members must show their real name.")


@GROUPS.add("groups.external_member", {
    "person_id": "x1", "name": "王五", "known": True, "unit": "某公司", "classification": "", "group_id": "G1",
    "group_name": "领导班子群", "joined": "2026-01-05", "posted": ["m1"]})
def _external_member(f: Facts) -> tuple[str, str]:
    who, gid, gname, cls, posted = person_label(f["person_id"], f["name"]), f["group_id"], f["group_name"], f["classification"], f["posted"]
    unit = f["unit"]
    what = "外部人员" + (f"（{unit}）" if unit else "") if f["known"] else "名册外人员"
    what_en = "an outsider" + (f" ({unit})" if unit else "") if f["known"] else "a person not in the roster"
    kind_zh = f"{cls}级" if cls else "内部"
    spoke = f"，在群内发言 {len(posted)} 条（{quote_ids(posted)}）" if posted else ""
    spoke_en = f", and posted {len(posted)} message(s) ({quote_ids_en(posted)})" if posted else ""
    return (f"{kind_zh}工作群“{gname}”({gid})中有{what}{who}，自 {f['joined']} 起在群{spoke}。",
            f"{who}, {what_en}, has been a member of the {cls or 'internal'} work group '{gname}' ({gid}) since "
            f"{f['joined']}{spoke_en}.")


@GROUPS.add("groups.faction", {
    "members": ["p1", "p2", "p3"], "names": ["张三", "李四", None], "units": ["粮食局", "财政局"], "closedness": 0.8,
    "closed": True, "shared_group": ("G9", "老乡群"), "event_id": "E1", "event_date": "2026-06-01",
    "event_kind": "election", "subject": "p1", "window_days": 60, "payment_ids": ["P1", "P2"], "total_fen": 88_800,
    "message_ids": ["m1"], "words": ["多投一票"]})
def _faction(f: Facts) -> tuple[str, str]:
    ids = list(f["members"])
    labels = [person_label(p, n) for p, n in zip(ids, f["names"], strict=True)]
    units, closed, window = f["units"], f["closedness"], f["window_days"]
    shared = f["shared_group"]  # (id, name) of the private group the circle meets in, or None
    place = f"同在私密小群“{shared[1]}”({shared[0]})" if shared else ""
    place_en = f"sharing the private group '{shared[1]}' ({shared[0]})" if shared else ""
    # "closed" is claimed only when the circle passes the closedness bar
    claim, claim_en = ("，形成封闭小圈子", " (a closed circle)") if f["closed"] else ("", "")
    subject_label = labels[ids.index(f["subject"])]
    kind = str(f["event_kind"])
    ev_zh = f"{f['event_date']} 的{EVENT_KIND_ZH.get(kind, kind)}（事件 {f['event_id']}，涉及 {subject_label}）"
    ev_en = f"the {kind} of {f['event_date']} (event {f['event_id']}, concerning {subject_label})"
    pay_ids, msg_ids, words, yuan = f["payment_ids"], f["message_ids"], f["words"], f["total_fen"] / 100
    proof, proof_en = [], []
    if pay_ids:
        proof.append(f"成员间互发红包/转账 {len(pay_ids)} 笔共 {yuan:,.2f} 元（{quote_ids(pay_ids)}）")
        proof_en.append(f"{len(pay_ids)} red packets/transfers totalling {yuan:,.2f} yuan between members "
                        f"({quote_ids_en(pay_ids)})")
    if msg_ids:
        proof.append(f"私下出现拉票/拉帮结派用语“{'、'.join(words[:3])}”（消息 {quote_ids(msg_ids)}）")
        proof_en.append(f"canvassing or clique words '{', '.join(words[:3])}' in private chats "
                        f"(messages {quote_ids_en(msg_ids)})")
    zh = (f"{'、'.join(labels)} 共 {len(ids)} 人，其中公职人员来自 {len(units)} 个单位（{'、'.join(units)}），"
          f"{place}{'，' if place else ''}圈内往来占其全部往来的 {closed:.0%}{claim}；在{ev_zh}前 {window} 天内，"
          f"{'；'.join(proof)}。")
    en = (f"{', '.join(labels)}: {len(ids)} people, officials from {len(units)} units ({', '.join(units)}), "
          f"{place_en}{', ' if place_en else ''}with {closed:.0%} of their interactions inside the circle{claim_en}; "
          f"in the {window} days before {ev_en}: {'; '.join(proof_en)}.")
    return zh, en


@GROUPS.add("groups.flattery", {
    "person_id": "p2", "name": "李四", "group_id": "G1", "group_name": "粮食局工作群", "owner_id": "p1",
    "owner_name": "张三", "addressed_as": "张局", "previous_id": None, "when": "2026-03-01T09:30+08:00",
    "evidence": "讲得太好了", "message_id": "m7"})
def _flattery(f: Facts) -> tuple[str, str]:
    who, boss = person_label(f["person_id"], f["name"]), person_label(f["owner_id"], f["owner_name"])
    named, gid, gname, when, mid = f["addressed_as"], f["group_id"], f["group_name"], f["when"], f["message_id"]
    how = f"称呼“{named}”" if named else f"紧接群主消息 {f['previous_id']} 之后"
    how_en = f"addressing them as '{named}'" if named else f"right after the owner's message {f['previous_id']}"
    return (f"{who}于 {when} 在群“{gname}”({gid})中{how}吹捧群主{boss}：“{f['evidence']}”（消息 {mid}）。",
            f"{who} praised the group owner {boss} in '{gname}' ({gid}) at {when}, {how_en}: "
            f"'{f['evidence']}' (message {mid}).")


@GROUPS.add("groups.off_topic", {
    "group_id": "G1", "group_name": "粮食局工作群", "first_day": "2026-03-01", "last_day": "2026-03-31",
    "total": 120, "off": 40, "share": 40 / 120, "threshold": 0.2, "topics": ["股票", "基金"],
    "message_ids": ["m1", "m2"]})
def _off_topic(f: Facts) -> tuple[str, str]:
    gid, gname, topics, ids = f["group_id"], f["group_name"], f["topics"], f["message_ids"]
    pct, limit = f"{f['share']:.0%}", f"{f['threshold']:.0%}"
    return (f"工作群“{gname}”({gid})在 {f['first_day']} 至 {f['last_day']} 的 {f['total']} 条消息中"
            f"有 {f['off']} 条（{pct}）与工作无关，超过 {limit} 的限度；话题如{quote_ids(topics)}（消息 {quote_ids(ids)}）。",
            f"In work group '{gname}' ({gid}), {f['off']} of {f['total']} messages ({pct}) "
            f"between {f['first_day']} and {f['last_day']} were not about work, above the "
            f"{limit} limit; topics such as {quote_ids_en(topics)} (messages {quote_ids_en(ids)}).")


@GROUPS.add("groups.owner", {
    "group_id": "G1", "group_name": "粮食局工作群", "problem": "post_ended", "owner_id": "p1", "owner_name": "张三",
    "end": "2026-01-31", "left": None, "owner_unit": "粮食局", "unit": "粮食局", "as_of": "2026-06-30"})
def _owner(f: Facts) -> tuple[str, str]:
    owner = person_label(f["owner_id"], f["owner_name"]) if f["owner_id"] else ""
    values = {"owner": owner, "end": f["end"], "left": f["left"], "owner_unit": f["owner_unit"], "unit": f["unit"]}
    zh, en = (t.format(**values) for t in OWNER_PROBLEMS[f["problem"]])
    gid, gname, ref = f["group_id"], f["group_name"], f["as_of"]
    return (f"工作群“{gname}”({gid}){zh}（截至 {ref}），不符合群主负责制。",
            f"Work group '{gname}' ({gid}) {en} (as of {ref}); every work group needs a responsible official as owner.")


@GROUPS.add("groups.stale_member", {
    "person_id": "p1", "name": "张三", "problem": "moved_unit", "end_date": None, "start_date": "2026-01-10",
    "unit": "财政局", "group_unit": "粮食局", "left": None, "grace_days": 30, "group_id": "G1",
    "group_name": "粮食局工作群", "as_of": "2026-06-30", "message_ids": ["m3"]})
def _stale_member(f: Facts) -> tuple[str, str]:
    who, gid, gname, after = person_label(f["person_id"], f["name"]), f["group_id"], f["group_name"], f["message_ids"]
    if f["problem"] == "post_ended":
        zh, en = f"已于 {f['end_date']} 离任", f"left the post on {f['end_date']}"
    else:
        zh = f"自 {f['start_date']} 起调任{f['unit']}，不再属于本群单位{f['group_unit']}"
        en = f"moved to {f['unit']} on {f['start_date']}, away from the group's unit {f['group_unit']}"
    still = "至今仍在群内" if f["left"] is None else f"直到 {f['left']} 才退群"
    still_en = "is still a member" if f["left"] is None else f"stayed until {f['left']}"
    posts = f"，其后仍发言 {len(after)} 条（{quote_ids(after)}）" if after else ""
    posts_en = f", and posted {len(after)} message(s) since ({quote_ids_en(after)})" if after else ""
    return (f"{who}{zh}，超过 {f['grace_days']} 天宽限期后{still}（工作群“{gname}”({gid})，截至 {f['as_of']}）{posts}。",
            f"{who} {en} but {still_en} in work group '{gname}' ({gid}) past the "
            f"{f['grace_days']}-day grace period (as of {f['as_of']}){posts_en}.")


@GROUPS.add("groups.unregistered", {
    "group_id": "G1", "group_name": "老同事群", "officials": ["p1", "p2", "p3"], "names": ["张三", "李四", "王五"],
    "units": 2})
def _unregistered(f: Facts) -> tuple[str, str]:
    officials, gid, gname = f["officials"], f["group_id"], f["group_name"]
    people = [person_label(p, n) for p, n in zip(officials, f["names"], strict=True)]
    return (f"群“{gname}”({gid})有 {len(officials)} 名公职人员（{quote_ids(people)}），来自 {f['units']} 个单位，"
            "但未在工作群登记备案中。",
            f"Group '{gname}' ({gid}) has {len(officials)} officials ({quote_ids_en(people)}) from {f['units']} unit(s) "
            "but is not in the work-group registry.")
