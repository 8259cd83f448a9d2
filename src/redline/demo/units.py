"""The demo county's 20 units (单位) and the posts (职务) each one has.

Leading posts are fixed, so that the people who hold them (and the planted cases about
them) keep the same ids at every `scale`; only the rank-and-file staff are scaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

COUNTY: Final = "清河县"  # fictional county; the demo's organisation


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit: its code (person ids start with it), names, leading posts and staff size."""

    code: int
    name: str  # as in people.csv `unit`
    short: str  # as in display names 单位-姓名
    kind: str  # party | government | police | street | town
    posts: tuple[str, ...]  # leading posts, in rank order; fixed at every scale
    staff: int  # rank-and-file at scale 1.0
    staff_post: str = "科员"


_STREET = ("党工委书记", "办事处主任", "办事处副主任", "办事处副主任", "人武部部长", "社区办主任", "综治办主任")
_TOWN = ("党委书记", "镇长", "副镇长", "副镇长", "人武部部长", "党政办主任", "农业站站长")

UNITS: Final[tuple[Unit, ...]] = (
    Unit(1, "县委办公室", "县委办", "party",
         ("县委书记", "县委副书记", "主任", "副主任", "副主任", "机要科科长", "保密科科长", "督查室主任"), 18),
    Unit(2, "县政府办公室", "政府办", "government",
         ("县长", "常务副县长", "副县长", "副县长", "主任", "副主任", "综合科科长", "应急办主任"), 18),
    Unit(3, "县纪委监委", "纪委监委", "party",
         ("纪委书记", "纪委副书记", "监委副主任", "第一监督检查室主任", "第二监督检查室主任", "案件审理室主任", "信访室主任"), 16),
    Unit(4, "县委组织部", "组织部", "party",
         ("部长", "常务副部长", "副部长", "干部科科长", "组织科科长", "办公室主任"), 14),
    Unit(5, "县发展和改革局", "发改局", "government",
         ("局长", "副局长", "副局长", "项目股股长", "价格股股长", "办公室主任"), 18),
    Unit(6, "县财政局", "财政局", "government",
         ("局长", "副局长", "副局长", "预算股股长", "国库股股长", "采购办主任", "办公室主任"), 18),
    Unit(7, "县自然资源局", "自然资源局", "government",
         ("局长", "副局长", "副局长", "规划股股长", "用地股股长", "执法大队大队长"), 18),
    Unit(8, "县住房和城乡建设局", "住建局", "government",
         ("局长", "副局长", "副局长", "建管股股长", "质监站站长", "招标办主任", "办公室主任"), 18),
    Unit(9, "县交通运输局", "交通局", "government",
         ("局长", "副局长", "副局长", "公路段段长", "运管所所长", "办公室主任"), 16),
    Unit(10, "县农业农村局", "农业农村局", "government",
         ("局长", "副局长", "副局长", "农经站站长", "植保站站长", "办公室主任"), 18),
    # 粮站 (grain stations) belong to the grain bureau; their heads buy grain from 粮贩 (traders).
    Unit(11, "县粮食和物资储备局", "粮食局", "government",
         ("局长", "副局长", "城南粮站站长", "城南粮站副站长", "马庄粮站站长", "马庄粮站副站长", "仓储股股长", "办公室主任"),
         16, "粮站保管员"),
    Unit(12, "县市场监督管理局", "市场监管局", "government",
         ("局长", "副局长", "副局长", "城关市场监管所所长", "食品安全股股长", "执法大队大队长", "办公室主任"), 18),
    Unit(13, "县教育局", "教育局", "government",
         ("局长", "副局长", "副局长", "教育装备股股长", "基础教育股股长", "办公室主任"), 18),
    Unit(14, "县卫生健康局", "卫健局", "government",
         ("局长", "副局长", "副局长", "疾控中心主任", "医政股股长", "办公室主任"), 18),
    Unit(15, "县公安局", "公安局", "police",
         ("局长", "政委", "副局长", "副局长", "治安大队大队长", "城关派出所所长", "指挥中心主任"), 22, "民警"),
    Unit(16, "城关街道办事处", "城关街道", "street", _STREET, 16, "干事"),
    Unit(17, "东城街道办事处", "东城街道", "street", _STREET, 14, "干事"),
    Unit(18, "西关街道办事处", "西关街道", "street", _STREET, 14, "干事"),
    Unit(19, "马庄镇人民政府", "马庄镇", "town", _TOWN, 16, "干事"),
    Unit(20, "永乐镇人民政府", "永乐镇", "town", _TOWN, 16, "干事"),
)
BY_CODE: Final = {u.code: u for u in UNITS}

# Villages and neighbourhoods of the streets and towns (村/社区), for villagers and chat.
VILLAGES: Final = {
    16: ("王家村", "城北社区", "南关社区", "东大街社区"),
    17: ("张家堡村", "东城社区", "河滨社区"),
    18: ("西关村", "双河村", "西苑社区"),
    19: ("马庄村", "李家沟村", "前进村", "柳树湾村"),
    20: ("永乐村", "高家庄村", "北坡村", "杨家河村"),
}


def person_id(unit_code: int, index: int) -> str:
    """Official's id: unit code and rank position (`P11004` is the grain bureau's 4th post)."""
    return f"P{unit_code:02d}{index:03d}"


def post_index(unit_code: int, post: str, nth: int = 0) -> int:
    """1-based index of the `nth` holder of a leading `post` in a unit (for fixed ids)."""
    posts = BY_CODE[unit_code].posts
    hits = [i for i, p in enumerate(posts) if p == post]
    return hits[nth] + 1


def official_id(unit_code: int, post: str, nth: int = 0) -> str:
    """The person id of a leading post, e.g. `official_id(11, "城南粮站副站长")`."""
    return person_id(unit_code, post_index(unit_code, post, nth))


def title_of(post: str) -> str:
    """How colleagues address a post holder after the surname: 局长 → 局, 书记 → 书记."""
    for suffix, title in (("书记", "书记"), ("县长", "县长"), ("局长", "局"), ("部长", "部长"),
                          ("镇长", "镇长"), ("站长", "站长"), ("主任", "主任"), ("所长", "所长"),
                          ("股长", "股长"), ("科长", "科长"), ("大队长", "队长"), ("政委", "政委")):
        if post.endswith(suffix):
            return title
    return ""
