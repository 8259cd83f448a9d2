"""The demo's 60 chat groups of the Xianyang types (领导班子群, 单位工作群, 专项工作群, 联络群, plus social ones).

Group ids are fixed (`G001`…`G060`); members are drawn from the org, so a group's core
members (the leading posts) are the same at every scale. Display names follow the
实名备注 pattern 单位-姓名 in work groups, nicknames in social ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import numpy as np

from redline.demo.org import Org
from redline.demo.period import START
from redline.demo.units import BY_CODE, COUNTY, UNITS, official_id
from redline.vocab import GroupType

CLASSIFICATION_WORK: Final = "非涉密"  # every WeChat work group is unclassified: 上网不涉密、涉密不上网
NICKNAMES: Final = ("大海", "静待花开", "老王", "阳光", "一路向北", "清风徐来", "平安是福", "Leo", "小鱼儿",
                    "知足常乐", "淡然", "向日葵", "奔跑的蜗牛", "山水", "晨曦", "兰亭", "老刘", "Sunny")


@dataclass(slots=True)
class Group:
    """One group: the groups.csv row plus members, display names and what it talks about."""

    group_id: str
    name: str
    type: GroupType
    owner_id: str | None
    topic: str  # chat grammar key: a unit code ("u11"), a task ("grain"), or a social kind
    registered: bool = True
    classification: str = CLASSIFICATION_WORK
    daily_report: bool = False
    report_window: tuple[date, date] | None = None
    report_units: tuple[int, ...] = ()  # units that owe the daily 进展汇报 (empty: every unit)
    activity: float = 1.0  # relative share of the background messages
    members: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)
    joined: dict[str, date] = field(default_factory=dict)
    left: dict[str, date | None] = field(default_factory=dict)

    def add(self, org: Org, pid: str, display: str | None = None, joined: date | None = None) -> None:
        if pid in self.display:
            return
        self.members.append(pid)
        p = org.people[pid]
        if display is None:
            if self.type == GroupType.SOCIAL:
                display = p.name
            elif p.is_official:
                display = f"{p.short}-{p.name}"
            else:  # outsiders show their business or village: 宏达建筑-刘强, 王家村-李芳
                place = re.sub(rf"^({COUNTY}|.*?(街道|镇))", "", p.unit)
                place = place if place.endswith(("村", "社区")) else place[:4]
                display = f"{place}-{p.name}" if place else p.name
        self.display[pid] = display
        self.joined[pid] = joined or date(2021, 3, 1)
        self.left[pid] = None

    def active(self, pid: str) -> bool:
        return self.left.get(pid) is None


def _leaders(org: Org, code: int) -> list[str]:
    return [pid for pid in org.staff[code] if org.people[pid].post in BY_CODE[code].posts]


def _staff(org: Org, code: int) -> list[str]:
    return list(org.staff[code])


_TASKS: Final = (
    # (id, name, topic, lead unit, units, daily report window, activity, in-charge county leader post)
    ("G031", "秋粮收购工作群", "grain", 11, (11, 10, 6, 19, 20), (date(2023, 9, 18), date(2023, 12, 29)), 2.5, ("副县长", 0)),
    ("G032", "疫苗接种工作专班", "vaccine", 14, (14, 16, 17, 18, 19, 20), (date(2023, 10, 9), date(2023, 12, 29)), 2.0, ("副县长", 1)),
    ("G033", "招商引资工作群", "investment", 5, (5, 2, 7, 6), (date(2023, 9, 4), date(2024, 2, 8)), 1.8, ("常务副县长", 0)),
    ("G034", "防汛抗旱指挥部群", "flood", 2, (2, 9, 7, 10, 19, 20), None, 1.0, ("副县长", 0)),
    ("G035", "项目审批服务群", "approval", 5, (5, 7, 8, 6), None, 1.5, ("常务副县长", 0)),
    ("G036", "安全生产大检查群", "safety", 2, (2, 12, 8, 9, 15), None, 1.3, ("副县长", 1)),
    ("G037", "秸秆禁烧工作群", "straw", 10, (10, 19, 20, 16), (date(2023, 9, 25), date(2023, 11, 30)), 1.5, ("副县长", 0)),
    ("G038", "创建文明城市工作群", "civilization", 1, (1, 16, 17, 18, 12, 8), None, 1.2, ("县委副书记", 0)),
    ("G039", "冬季供暖保障群", "heating", 8, (8, 12, 16, 17), None, 0.8, ("副县长", 1)),
    ("G040", "信访维稳工作群", "petition", 3, (3, 15, 16, 17, 18), None, 1.0, ("县委副书记", 0)),
    ("G041", "乡村振兴工作群", "rural", 10, (10, 19, 20, 6), None, 1.2, ("副县长", 0)),
    ("G042", "森林防火工作群", "forest", 7, (7, 19, 20, 15), None, 0.7, ("副县长", 0)),
    ("G043", "春运安全工作群", "transport", 9, (9, 15, 12), None, 0.6, ("副县长", 1)),
    ("G044", "项目对接群", "approval", 8, (8, 7, 5), None, 0.8, ("常务副县长", 0)),
)
# Who does the work a daily-report group reports on: grain stations and towns buy grain,
# streets and towns vaccinate, towns patrol the fields.
REPORT_UNITS: Final = {"G031": (11, 19, 20), "G032": (14, 16, 17, 18, 19, 20), "G033": (5, 2, 7, 6),
                       "G037": (10, 19, 20, 16)}
_LIAISON: Final = (
    ("G045", "粮食收购企业联络群", "grain", 11, "粮贩"),
    ("G046", "重点项目建设单位联络群", "approval", 8, "建筑公司"),
    ("G047", "个体工商户服务群", "market", 12, "个体户"),
    ("G048", "城关街道网格服务群", "u16", 16, "村民"),
    ("G049", "马庄镇便民服务群", "u19", 19, "村民"),
    ("G050", "教育装备供应商对接群", "u13", 13, "供应商"),
)
_SOCIAL: Final = (
    ("G054", "县一中九二届同学群", "classmates"), ("G055", "清河钓鱼协会", "fishing"),
    ("G056", "羽毛球爱好者", "badminton"), ("G057", "周末快乐群", "friends"),
    ("G058", "渭北老乡群", "hometown"), ("G059", "每日跑步打卡", "running"), ("G060", "吃货小分队", "friends"),
)
_LEADERSHIP_UNITS: Final = (1, 6, 8, 15, 11, 19, 20, 16)


def build_groups(org: Org, rng: np.random.Generator) -> list[Group]:
    """The 60 groups with owners and members; planted changes are applied later by `planted`."""
    groups: list[Group] = []
    secretary, mayor = official_id(1, "县委书记"), official_id(2, "县长")
    g = Group("G001", "县委常委群", GroupType.LEADERSHIP, secretary, "leaders", activity=1.5)
    for code, post in ((1, "县委书记"), (1, "县委副书记"), (2, "县长"), (2, "常务副县长"), (3, "纪委书记"),
                       (4, "部长"), (1, "主任"), (15, "局长")):
        g.add(org, official_id(code, post))
    groups.append(g)
    g = Group("G002", "县政府常务会议群", GroupType.LEADERSHIP, mayor, "leaders", activity=1.2)
    for pid in [mayor, *(_leaders(org, 2)[1:5])] + [_leaders(org, c)[0] for c in (5, 6, 7, 8, 9, 10, 11, 12)]:
        g.add(org, pid)
    groups.append(g)
    for i, code in enumerate(_LEADERSHIP_UNITS):
        leaders = _leaders(org, code)
        g = Group(f"G{3 + i:03d}", f"{BY_CODE[code].short}班子成员群", GroupType.LEADERSHIP, leaders[0],
                  f"u{code}", activity=0.8)
        for pid in leaders[: 4 if code != 1 else 5]:
            g.add(org, pid)
        groups.append(g)
    for i, unit in enumerate(UNITS):  # one department group per unit: G011..G030
        leaders = _leaders(org, unit.code)
        office = next((p for p in leaders if org.people[p].post.endswith("办公室主任") or
                       org.people[p].post in ("党政办主任", "主任")), leaders[0])
        g = Group(f"G{11 + i:03d}", f"{BY_CODE[unit.code].name}工作群", GroupType.DEPARTMENT, office,
                  f"u{unit.code}", activity=0.5 + len(org.staff[unit.code]) / 15)
        for pid in _staff(org, unit.code):
            g.add(org, pid)
        groups.append(g)
    for gid, name, topic, lead, codes, window, activity, (lead_post, nth) in _TASKS:
        leader_id = official_id(2, lead_post, nth) if lead_post != "县委副书记" else official_id(1, lead_post)
        owner = _leaders(org, lead)[-1 if lead != 2 else 4]  # the lead unit's office runs the group
        g = Group(gid, name, GroupType.TASK, owner, topic, daily_report=window is not None,
                  report_window=window, report_units=REPORT_UNITS.get(gid, ()), activity=activity)
        g.add(org, leader_id)
        for code in codes:
            members = _leaders(org, code)[:3] + _staff(org, code)[len(BY_CODE[code].posts):][:2]
            for pid in members:
                g.add(org, pid)
        g.add(org, owner)
        groups.append(g)
    for gid, name, topic, code, kind in _LIAISON:
        leaders = _leaders(org, code)
        g = Group(gid, name, GroupType.LIAISON, leaders[-1], topic, activity=0.5)
        for pid in leaders[:4]:
            g.add(org, pid)
        for pid in org.parties.get(kind, [])[:12]:
            g.add(org, pid)
        groups.append(g)
    # family groups of three officials (G051..G053): the official, spouse, children, parents
    for i, pid in enumerate((official_id(6, "局长"), official_id(13, "副局长"), official_id(19, "镇长"))):
        p = org.people[pid]
        g = Group(f"G{51 + i:03d}", "相亲相爱一家人" if i == 0 else f"{p.name[0]}家大院" if i == 1 else "我们的家",
                  GroupType.SOCIAL, pid, "family", registered=False, classification="", activity=0.6)
        for m in [pid, *org.family[pid]]:
            g.add(org, m, display=None)
        groups.append(g)
    officials = [p.person_id for p in org.officials()]
    for gid, name, topic in _SOCIAL:
        k = min(len(officials), int(rng.integers(10, 22)))
        chosen = [officials[int(j)] for j in rng.choice(len(officials), size=k, replace=False)]
        g = Group(gid, name, GroupType.SOCIAL, chosen[0], topic, registered=False, classification="",
                  activity=0.7)
        for pid in chosen:
            nick = NICKNAMES[int(rng.integers(0, len(NICKNAMES)))] if rng.random() < 0.4 else None
            g.add(org, pid, display=nick)
        groups.append(g)
    # join dates: most members joined before the period; some staff joined during it
    for g in groups:
        for pid in g.members:
            if rng.random() < 0.06:
                g.joined[pid] = date.fromordinal(START.toordinal() + int(rng.integers(0, 60)))
            else:
                g.joined[pid] = date.fromordinal(date(2019, 1, 1).toordinal() + int(rng.integers(0, 1600)))
    groups.sort(key=lambda x: x.group_id)
    if len(groups) != 60:
        raise ValueError(f"expected 60 groups, built {len(groups)}")  # a generator bug
    return groups
