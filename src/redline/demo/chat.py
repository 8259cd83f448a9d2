"""Background chat: episodes of ordinary work talk (a notice and its 收到 replies, a question and its
answer, a daily 进展汇报) expanded from the template grammars of `phrases`.

Episode shapes, days and sizes are drawn from numpy; each message costs one template
choice and one `str.format_map`. Times are microseconds since the epoch, Beijing time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np

from redline.demo import phrases as ph
from redline.demo.groups import Group
from redline.demo.logs import MessageLog, attachment, dm
from redline.demo.org import Org
from redline.demo.period import US_PER_MINUTE, at, days, festivals, is_workday
from redline.demo.units import title_of
from redline.vocab import GroupType, Relation

_HOLIDAY_NAMES: Final = ("国庆", "元旦", "春节", "中秋")
_SENIOR: Final = ("县", "副县", "常务副县长", "局长", "部长", "党委书记", "党工委书记", "纪委书记", "镇长", "政委")
Line = tuple[int, str, str, str, str | None]  # minutes after the episode starts, sender, text, type, attachment


@dataclass(slots=True)
class Scene:
    """Who is talking where, on which day: what the slots are filled from."""

    org: Org
    rnd: random.Random
    day: date
    members: Sequence[str]  # active members of the conversation
    topic: str
    addressee: str | None = None


class Slots(dict[str, str]):
    """A lazily filled slot table for one message; a slot drawn once keeps its value."""

    def __init__(self, scene: Scene) -> None:
        super().__init__()
        self.scene = scene

    def __missing__(self, key: str) -> str:
        value = _FILL[key if key in _FILL else key.rstrip("0123456789")](self.scene, self)
        self[key] = value
        return value


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _ahead(s: Scene, lo: int, hi: int) -> date:
    d = s.day + timedelta(days=s.rnd.randint(lo, hi))
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def _name(s: Scene) -> str:
    return s.org.people[s.rnd.choice(s.members)].name if s.members else "小王"


def _title_to(s: Scene) -> str:
    """How the speaker addresses the leader: surname + short title (王局, 李书记), else the name."""
    pid = s.addressee or (s.members[0] if s.members else None)
    if pid is None:
        return "领导"
    p = s.org.people[pid]
    title = title_of(p.post)
    return p.name[0] + title if title else p.name


def _units(s: Scene) -> list[str]:
    """The units a conversation spans; inside one unit, its sections (股室) play that part."""
    units = sorted({s.org.people[m].short for m in s.members} - {""})
    return list(ph.SECTIONS) if len(units) == 1 and len(s.members) > 1 else units


def _unit_short(s: Scene) -> str:
    units = _units(s)
    return s.rnd.choice(units) if units else "办公室"


def _other_unit(s: Scene, first: str) -> str:
    units = [u for u in _units(s) if u != first]
    return s.rnd.choice(units) if units else "办公室"


def _work(s: Scene) -> str:
    if s.topic.startswith("u"):
        return s.rnd.choice(ph.UNIT_WORK[int(s.topic[1:])])
    return s.rnd.choice(ph.TOPIC_WORK.get(s.topic, ph.TOPIC_WORK["leaders"]))


def _half(s: Scene, slots: Slots) -> str:
    return s.rnd.choice(ph.HALVES)


def _clock(s: Scene, slots: Slots) -> str:
    return s.rnd.choice(ph.CLOCKS[slots["half"]])


def _deadline(s: Scene) -> str:
    # every template writes "{deadline}前", so the values carry no 前 of their own
    options = ("今天下班", "明天上午10点", "本周五下班", f"{_md(_ahead(s, 2, 6))}12点", _md(_ahead(s, 3, 8)))
    return s.rnd.choice(options)


def _holiday(s: Scene) -> str:
    upcoming = [f.name for f in festivals() if f.name in _HOLIDAY_NAMES and 0 <= (f.day - s.day).days <= 12]
    return upcoming[0] if upcoming else s.rnd.choice(("周末", "国庆", "元旦", "春节"))


_FILL: Final[dict[str, Callable[[Scene, Slots], str]]] = {
    "date": lambda s, _: _md(_ahead(s, 1, 4)),
    "today": lambda s, _: _md(s.day),
    "d": lambda s, _: _md(_ahead(s, 0, 3)),
    "half": _half,
    "clock": _clock,
    "room": lambda s, _: s.rnd.choice(ph.ROOMS),
    "meeting": lambda s, _: s.rnd.choice(ph.MEETINGS),
    "attendees": lambda s, _: s.rnd.choice(ph.ATTENDEES),
    "material": lambda s, _: s.rnd.choice(ph.MATERIALS),
    "office": lambda s, _: s.rnd.choice(("县委办综合科", "政府办督查室", "局办公室", "组织部干部科", "指挥部办公室")),
    "deadline": lambda s, _: _deadline(s),
    "unit_short": lambda s, _: _unit_short(s),
    "unit_short2": lambda s, slots: _other_unit(s, slots["unit_short"]),
    "deal": lambda s, _: s.rnd.choice(ph.DEALS),
    "title_to": lambda s, _: _title_to(s),
    "name": lambda s, _: _name(s),
    "work": lambda s, _: _work(s),
    "project": lambda s, _: s.rnd.choice(ph.PROJECTS),
    "focus": lambda s, _: s.rnd.choice(ph.FOCUS),
    "goal": lambda s, _: s.rnd.choice(ph.GOALS),
    "inspection": lambda s, _: s.rnd.choice(ph.INSPECTIONS),
    "inspector": lambda s, _: s.rnd.choice(ph.INSPECTORS),
    "place": lambda s, _: s.rnd.choice(ph.PLACES),
    "crop": lambda s, _: s.rnd.choice(ph.CROPS),
    "thing": lambda s, _: s.rnd.choice(ph.THINGS),
    "doc": lambda s, _: s.rnd.choice(ph.DOCS),
    "weekday": lambda s, _: s.rnd.choice(ph.WEEKDAYS),
    "holiday": lambda s, _: _holiday(s),
    "year": lambda s, _: str(s.day.year),
    "month": lambda s, _: str(s.day.month),
    "n_small": lambda s, _: str(s.rnd.randint(2, 9)),
    "n_small2": lambda s, _: str(s.rnd.randint(10, 99)),
    "n_ton": lambda s, _: str(s.rnd.randint(40, 600)),
    "n_total": lambda s, _: str(s.rnd.randint(1200, 26000)),
    "n_people": lambda s, _: str(s.rnd.randint(20, 320)),
    "n_yi": lambda s, _: str(s.rnd.randint(1, 20)),
    "n_score": lambda s, _: str(s.rnd.randint(85, 100)),
    "pct": lambda s, _: str(s.rnd.randint(30, 98)),
    "moisture": lambda s, _: f"{s.rnd.uniform(12.5, 17.5):.1f}",
    "when": lambda s, _: s.rnd.choice(ph.LEAVE_WHEN),
    "reason": lambda s, _: s.rnd.choice(ph.LEAVE_REASON),
    "span": lambda s, _: s.rnd.choice(ph.LEAVE_SPAN),
    "greeting": lambda s, _: "节日快乐",
}


def say(template: str, scene: Scene) -> str:
    """Fill one template for one scene."""
    return template.format_map(Slots(scene))


def _minute_of_day(rnd: random.Random, social: bool) -> int:
    if social:  # evenings and lunch breaks
        return rnd.choice((rnd.randint(12 * 60, 13 * 60 + 30), rnd.randint(19 * 60, 22 * 60 + 50),
                           rnd.randint(7 * 60, 23 * 60)))
    return rnd.choice((rnd.randint(8 * 60 + 20, 11 * 60 + 50), rnd.randint(14 * 60 + 30, 18 * 60),
                       rnd.randint(8 * 60, 21 * 60)))


class ChatWriter:
    """Writes the background conversations of one demo into a MessageLog."""

    def __init__(self, org: Org, groups: list[Group], rng: np.random.Generator) -> None:
        self.org = org
        self.groups = groups
        self.rng = rng
        self.rnd = random.Random(int(rng.integers(0, 2**63)))  # noqa: S311 - synthetic data, seeded for determinism
        self.all_days = days()
        self.log = MessageLog()

    # one episode: a list of (minutes after the start, sender, text, type, attachment)
    def _episode(self, g: Group, members: list[str], day: date) -> list[Line]:
        rnd = self.rnd
        leader = g.owner_id if g.owner_id in members else members[0]
        scene = Scene(self.org, rnd, day, members, g.topic, addressee=leader)
        others = [m for m in members if m != leader] or members
        if g.type == GroupType.SOCIAL:
            pool = ph.SOCIAL.get(g.topic, ph.SOCIAL["friends"])
            first = rnd.choice(members)
            out: list[Line] = [(0, first, say(rnd.choice(pool), scene), "text", None)]
            if rnd.random() < 0.15:
                out.append((1, first, "", "image", attachment(f"IMG_{day:%Y%m%d}_{rnd.randint(100000, 235959)}.jpg",
                                                                 rnd.randint(80_000, 4_000_000), g.group_id)))
            out.extend((2 + k * rnd.randint(1, 9), rnd.choice(members), rnd.choice(ph.SOCIAL_REPLY), "text", None)
                       for k in range(rnd.choice((0, 1, 1, 2, 3))))
            return out
        if g.type == GroupType.LEADERSHIP:  # leaders convene, instruct and circulate; they seldom ask
            kind = rnd.choices(("meeting", "leader", "file", "inspect", "submit", "ask"),
                               weights=(25, 30, 20, 10, 5, 10))[0]
        elif g.type == GroupType.LIAISON:  # outsiders' questions and notices written for the public
            kind = rnd.choices(("ask", "public", "file", "photo"), weights=(60, 25, 10, 5))[0]
            if not any(self.org.people[m].post in ph.PARTY_TALK for m in others):
                kind = "public"  # nobody outside is in the group yet (small scales)
        else:
            kind = rnd.choices(("meeting", "submit", "inspect", "duty", "file", "leader", "ask", "photo", "voice"),
                               weights=(14, 14, 6, 3, 10, 10, 22, 5, 2))[0]
        if kind == "ask":
            outsiders = [m for m in others if self.org.people[m].post in ph.PARTY_TALK]
            # questions come from the rank and file, not from the county's or the unit's leaders
            juniors = [m for m in others if not self.org.people[m].post.startswith(_SENIOR)] or others
            asker = rnd.choice(outsiders if g.type == GroupType.LIAISON else juniors)
            post = self.org.people[asker].post
            if post in ph.PARTY_TALK:  # an outsider in a liaison group asks about their own business
                question, answer = rnd.choice(ph.PARTY_TALK[post])
            elif g.topic in ph.TOPIC_TALK and rnd.random() < 0.6:
                question, answer = rnd.choice(ph.TOPIC_TALK[g.topic])
            else:
                question, answer = rnd.choice(ph.ASK), rnd.choice(ph.ANSWER)
            out = [(0, asker, say(question, scene), "text", None),
                   (rnd.randint(1, 25), leader, say(answer, scene), "text", None)]
            if rnd.random() < 0.5:
                out.append((rnd.randint(26, 30), asker, say(rnd.choice(ph.THANKS), scene), "text", None))
            return out
        if kind == "photo":
            sender = rnd.choice(others)
            name = f"IMG_{day:%Y%m%d}_{rnd.randint(80000, 175959)}.jpg"
            return [(0, sender, say(rnd.choice(("{place}现场照片", "今天检查的情况", "{place}整改后的情况", "{project}施工现场")), scene),
                     "text", None),
                    (1, sender, "", "image", attachment(name, rnd.randint(300_000, 5_000_000), g.group_id))]
        if kind == "voice":
            sender = rnd.choice(members)
            return [(0, sender, "", "voice", attachment(f"voice_{rnd.randint(10**8, 10**9)}.amr",
                                                         rnd.randint(8_000, 90_000), g.group_id))]
        templates = {"meeting": ph.MEETING_NOTICE, "submit": ph.SUBMIT_NOTICE, "inspect": ph.INSPECTION_NOTICE,
                     "duty": ph.DUTY_NOTICE, "leader": ph.LEADER_SAYS, "public": ph.LIAISON_NOTICE}
        if kind == "file":
            fname = say(rnd.choice(ph.FILE_NAMES), scene)
            # exports show a file message's name as its text; the file itself is not shipped
            out = [(0, leader, fname, "file", attachment(fname, rnd.randint(20_000, 2_000_000), g.group_id))]
            intro = say(rnd.choice(ph.FILE_INTRO), scene)
            if intro:
                out.append((0, leader, intro, "text", None))
        else:
            out = [(0, leader, say(rnd.choice(templates[kind]), scene), "text", None)]
        n_ack = min(len(others), int(self.rng.geometric(0.3)))
        t = 1
        for m in rnd.sample(others, n_ack):
            t += rnd.randint(0, 6)
            ack_scene = Scene(self.org, rnd, day, [m], g.topic, addressee=leader)
            out.append((t, m, say(rnd.choice(ph.ACK), ack_scene), "text", None))
        return out

    def _speaks(self, g: Group, pid: str, day: date) -> bool:
        """Who still talks in a group: not the retired, not a mover in his old unit's group, and
        outsiders only in liaison and social groups. They stay members (that is the finding)."""
        p = self.org.people[pid]
        if p.end_date and day > p.end_date:
            return False
        if g.type == GroupType.DEPARTMENT and p.unit_code is not None and g.topic != f"u{p.unit_code}":
            return not (p.start_date and day >= p.start_date)
        return p.is_official or g.type in (GroupType.LIAISON, GroupType.SOCIAL)

    def group_chat(self, g: Group, budget: int) -> None:
        """About `budget` messages of episodes in group `g`, on plausible days."""
        social = g.type == GroupType.SOCIAL
        pool = self.all_days if social else [d for d in self.all_days if is_workday(d)]
        written = 0
        while written < budget:
            day = pool[int(self.rng.integers(0, len(pool)))]
            members = [m for m in g.members if g.joined[m] <= day and self._speaks(g, m, day)
                       and ((left := g.left[m]) is None or left > day)]
            if len(members) < 2:
                members = [m for m in g.members if self._speaks(g, m, day)] or list(g.members)
            start = at(day, 0) + _minute_of_day(self.rnd, social) * US_PER_MINUTE
            for minutes, sender, text, kind, att in self._episode(g, members, day):
                self.log.add(start + minutes * US_PER_MINUTE + self.rnd.randint(0, 59) * 1_000_000,
                             g.group_id, sender, text, kind, att)
                written += 1

    def daily_reports(self, g: Group, stop_after: dict[tuple[str, str], date]) -> None:
        """进展汇报: one report per reporting unit per working day of the group's window."""
        if not g.report_window:
            return
        lo, hi = g.report_window
        reporters: dict[str, str] = {}
        for m in g.members:  # one reporter per unit: its first member that is not the owner
            p = self.org.people[m]
            if (p.is_official and m != g.owner_id and not p.post.startswith(("县", "副县", "常务"))
                    and (not g.report_units or p.unit_code in g.report_units)):
                reporters.setdefault(p.short, m)
        for day in self.all_days:
            if not (lo <= day <= hi and is_workday(day)):
                continue
            for pid in reporters.values():
                if (g.group_id, pid) in stop_after and day > stop_after[(g.group_id, pid)]:
                    continue
                scene = Scene(self.org, self.rnd, day, [pid], g.topic)
                text = say(self.rnd.choice(ph.PROGRESS[g.topic]), scene)
                self.log.add(at(day, 16, self.rnd.randint(30, 59)) + self.rnd.randint(0, 150) * US_PER_MINUTE,
                             g.group_id, pid, text)
            if self.rnd.random() < 0.3 and g.owner_id:
                scene = Scene(self.org, self.rnd, day, list(reporters.values()), g.topic)
                self.log.add(at(day, 19, self.rnd.randint(0, 59)), g.group_id, g.owner_id,
                             say(self.rnd.choice(ph.PROGRESS_COMMENT), scene))

    def direct_chat(self, budget: int) -> None:
        """Direct messages: 请假 to one's superior, small work exchanges between colleagues, and
        parties asking the official who handles their business (no money involved)."""
        pairs = [(a, b) for a, b, rel, _, _ in self.org.relations if rel == Relation.SUPERIOR]
        served = [(a, b) for a, b, rel, _, _ in self.org.relations
                  if rel in (Relation.MANAGED, Relation.SUPPLIER) and self.org.people[b].post in ph.PARTY_TALK]
        workdays = [d for d in self.all_days if is_workday(d)]
        written = 0
        while written < budget and pairs:
            day = workdays[int(self.rng.integers(0, len(workdays)))]
            start = at(day, 0) + _minute_of_day(self.rnd, False) * US_PER_MINUTE
            if served and self.rnd.random() < 0.15:
                official, party = served[int(self.rng.integers(0, len(served)))]
                question, answer = self.rnd.choice(ph.PARTY_TALK[self.org.people[party].post])
                conv, lines = dm(official, party), [(party, question), (official, answer)]
            else:
                me, boss = pairs[int(self.rng.integers(0, len(pairs)))]
                code = self.org.people[me].unit_code or 1
                colleagues = [m for m in self.org.staff.get(code, []) if m not in (me, boss)] or [me]
                scene = Scene(self.org, self.rnd, day, colleagues, f"u{code}", addressee=boss)
                conv = dm(me, boss)
                if self.rnd.random() < 0.35:
                    lines = [(me, say(self.rnd.choice(ph.LEAVE), scene)), (boss, self.rnd.choice(ph.LEAVE_REPLY))]
                else:
                    lines = [(me, say(self.rnd.choice(ph.DM_WORK), scene)), (boss, self.rnd.choice(ph.DM_REPLY))]
            for k, (sender, text) in enumerate(lines):
                self.log.add(start + k * self.rnd.randint(1, 40) * US_PER_MINUTE, conv, sender, text)
                written += 1


def write_background(org: Org, groups: list[Group], rng: np.random.Generator, budget: int,
                     stop_after: dict[tuple[str, str], date]) -> MessageLog:
    """All background chat: daily reports first, then the rest of `budget` split over groups
    by activity (and 12% in direct messages)."""
    writer = ChatWriter(org, groups, rng)
    for g in groups:
        if g.daily_report:
            writer.daily_reports(g, stop_after)
    rest = max(0, budget - len(writer.log))
    weights = np.array([g.activity for g in groups])
    shares = np.floor(weights / weights.sum() * rest * 0.88).astype(int)
    for g, share in zip(groups, shares, strict=True):
        writer.group_chat(g, int(share))
    writer.direct_chat(max(0, budget - len(writer.log)))
    return writer.log
