"""The demo county's people: officials, their families, and the parties they manage or buy from.

Two random streams keep ids stable across `scale`: the *core* stream draws every leading
post (and its family); the *staff* stream draws the scaled rank-and-file and background
parties. Relations follow DESIGN.md: a row `(person_id, other_id, relation)` says what
`other_id` is to `person_id` (`managed` = 管理服务对象, the party the official regulates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

import numpy as np

from redline.demo.names import draw_names
from redline.demo.units import BY_CODE, COUNTY, UNITS, VILLAGES, person_id
from redline.vocab import Relation


@dataclass(slots=True)
class Person:
    """One row of people.csv, plus what the generator needs to know about the person."""

    person_id: str
    name: str
    unit: str
    post: str
    is_official: bool
    external: bool
    start_date: date | None = None
    end_date: date | None = None
    female: bool = False
    unit_code: int | None = None  # officials only
    short: str = ""  # unit short name, for display names 单位-姓名


@dataclass(slots=True)
class Org:
    """Everyone in the demo and how they relate; `add_*` keep ids unique."""

    people: dict[str, Person] = field(default_factory=dict)
    relations: list[tuple[str, str, str, date | None, date | None]] = field(default_factory=list)
    staff: dict[int, list[str]] = field(default_factory=dict)  # unit code → officials, rank order
    family: dict[str, list[str]] = field(default_factory=dict)  # official → relatives
    parties: dict[str, list[str]] = field(default_factory=dict)  # party kind → party ids
    taken: set[str] = field(default_factory=set)  # names in use (officials must be unique)
    core_names: set[str] = field(default_factory=set)  # names of the scale-independent core

    def add(self, person: Person) -> Person:
        if person.person_id in self.people:
            raise ValueError(f"duplicate person id {person.person_id}")  # a generator bug
        self.people[person.person_id] = person
        return person

    def relate(self, a: str, b: str, relation: Relation, since: date | None = None,
               until: date | None = None) -> None:
        self.relations.append((a, b, str(relation), since, until))

    def officials(self) -> list[Person]:
        return [p for p in self.people.values() if p.is_official]


# Managed and supplying parties: kind → (post, the units that regulate them, business names).
PARTY_KINDS: Final = {
    "粮贩": ("粮食经纪人", (11,), ("粮食经纪部", "粮食收购点", "粮油购销部")),
    "建筑公司": ("法定代表人", (8, 7, 9), ("建筑工程有限公司", "建设集团有限公司", "市政工程有限公司")),
    "村民": ("村民", (16, 17, 18, 19, 20), ()),
    "个体户": ("个体工商户", (12,), ("烩面馆", "便利店", "农资门市部", "五金建材店", "家常菜馆", "水果店")),
    "供应商": ("销售经理", (13, 14, 6, 2), ("教学设备有限公司", "医疗器械有限公司", "办公用品商行", "信息技术有限公司")),
}
_TRADE_NAMES: Final = ("宏达", "鑫源", "华泰", "秦川", "长安", "恒信", "金盛", "兴旺", "永顺", "盛世", "天成", "福瑞")
_FAMILY_POSTS: Final = ("配偶", "子女", "父亲", "母亲")


def _start(rng: np.random.Generator) -> date:
    return date.fromordinal(date(2006, 1, 1).toordinal() + int(rng.integers(0, 16 * 365)))


def _add_family(org: Org, rng: np.random.Generator, official: Person, p_child: float, p_parent: float) -> None:
    relatives: list[Person] = []
    k = 1
    spouse_female = not official.female
    [spouse] = draw_names(rng, 1, female=np.array([spouse_female]))
    relatives.append(Person(f"F{official.person_id[1:]}-{k}", spouse, "", "配偶", False, True, female=spouse_female))
    if rng.random() < p_child:
        k += 1
        girl = bool(rng.random() < 0.5)
        surname = official.name[0] if not official.female else spouse[0]
        [child] = draw_names(rng, 1, female=np.array([girl]), surname=surname)
        relatives.append(Person(f"F{official.person_id[1:]}-{k}", child, "", "子女", False, True, female=girl))
    if rng.random() < p_parent:
        k += 1
        mother = bool(rng.random() < 0.6)
        [parent] = draw_names(rng, 1, female=np.array([mother]), surname=None if mother else official.name[0])
        relatives.append(Person(f"F{official.person_id[1:]}-{k}", parent, "", "母亲" if mother else "父亲",
                                False, True, female=mother))
    for rel in relatives:
        org.add(rel)
        org.relate(official.person_id, rel.person_id, Relation.FAMILY)
    org.family[official.person_id] = [r.person_id for r in relatives]


def _add_officials(org: Org, rng: np.random.Generator, unit_code: int, posts: list[str], first: int) -> list[Person]:
    unit = BY_CODE[unit_code]
    female = rng.random(len(posts)) < np.where(np.array([i + first for i in range(len(posts))]) <= 2, 0.15, 0.4)
    names = draw_names(rng, len(posts), female=female, taken=org.taken)
    out = []
    for i, (post, name) in enumerate(zip(posts, names, strict=True)):
        pid = person_id(unit_code, first + i)
        out.append(org.add(Person(pid, name, unit.name, post, True, False, _start(rng), None,
                                  bool(female[i]), unit_code, unit.short)))
        org.staff.setdefault(unit_code, []).append(pid)
    return out


def add_party(org: Org, rng: np.random.Generator, pid: str, kind: str, managers: list[str],
              since: date | None = None, *, core: bool = False) -> Person:
    """Add one managed party or supplier (`kind` from PARTY_KINDS) related to `managers`.

    `core` parties (the planted ones) avoid only the core's names, so that their own names
    do not depend on the scaled staff drawn before them.
    """
    post, _, businesses = PARTY_KINDS[kind]
    taken = set(org.core_names) if core else org.taken
    [name] = draw_names(rng, 1, female=np.array([bool(rng.random() < 0.2)]), taken=taken)
    manager = org.people[managers[0]]
    if kind == "村民":
        village = VILLAGES[manager.unit_code or 16][int(rng.integers(0, len(VILLAGES[manager.unit_code or 16])))]
        unit = f"{manager.short}{village}"
    elif kind == "粮贩":
        unit = f"{name[0]}记{businesses[int(rng.integers(0, len(businesses)))]}"
    else:
        trade = _TRADE_NAMES[int(rng.integers(0, len(_TRADE_NAMES)))]
        unit = f"{COUNTY}{trade}{businesses[int(rng.integers(0, len(businesses)))]}"
        if kind == "个体户":
            unit = f"{name[0]}记{businesses[int(rng.integers(0, len(businesses)))]}"
    party = org.add(Person(pid, name, unit, post, False, True))
    relation = Relation.SUPPLIER if kind == "供应商" else Relation.MANAGED
    for m in managers:
        org.relate(m, pid, relation, since or date(2020 + int(rng.integers(0, 3)), 1 + int(rng.integers(0, 12)), 1))
    org.parties.setdefault(kind, []).append(pid)
    return party


def build_org(core: np.random.Generator, staff: np.random.Generator, scale: float) -> Org:
    """The county: leading posts and families from `core`, scaled staff and parties from `staff`."""
    org = Org()
    for unit in UNITS:  # leading posts first, across all units, so their names never shift
        leaders = _add_officials(org, core, unit.code, list(unit.posts), 1)
        for p in leaders:
            _add_family(org, core, p, 0.6, 0.35)
        head, deputies = leaders[0], leaders[1:]
        for d in deputies:  # who reports to whom: the first post leads the unit
            org.relate(head.person_id, d.person_id, Relation.SUBORDINATE)
            org.relate(d.person_id, head.person_id, Relation.SUPERIOR)
    org.core_names = set(org.taken)
    for unit in UNITS:
        n = max(2, round(unit.staff * scale))
        posts = [unit.staff_post if i % 5 else ("副科长" if unit.staff_post == "科员" else unit.staff_post)
                 for i in range(n)]
        first = len(unit.posts) + 1
        for p in _add_officials(org, staff, unit.code, posts, first):
            if staff.random() < 0.75:
                _add_family(org, staff, p, 0.3, 0.1)
            # each staff member answers to one of the unit's section heads
            boss = person_id(unit.code, int(staff.integers(3, len(unit.posts) + 1)))
            org.relate(boss, p.person_id, Relation.SUBORDINATE)
            org.relate(p.person_id, boss, Relation.SUPERIOR)
    n_parties = {"粮贩": 10, "建筑公司": 14, "村民": 40, "个体户": 18, "供应商": 10}
    counter = 100  # M001..M099 are reserved for the planted cases
    for kind, n in n_parties.items():
        _, units, _ = PARTY_KINDS[kind]
        for _ in range(max(2, round(n * scale))):
            counter += 1
            unit_code = units[int(staff.integers(0, len(units)))]
            heads = [pid for pid in org.staff[unit_code] if org.people[pid].post in BY_CODE[unit_code].posts]
            k = 1 + int(staff.integers(0, 2))
            managers = [heads[int(i)] for i in staff.choice(len(heads), size=k, replace=False)]
            add_party(org, staff, f"M{counter:03d}", kind, managers)
    return org
