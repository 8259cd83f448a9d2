"""Synthetic work-chat messages for the screening benchmark (deterministic, no downloads).

Everyday Chinese work-group chat (notices, replies, progress reports) with about 5 % of
messages carrying something a rule should see: pack terms, organisation terms, PII, 密级
markings, gambling or gift talk, some of them in an evasive spelling.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯健俊帆晨阳婷雪琳欣怡佳"
TITLES = ("主任", "科长", "处长", "局长", "书记", "老师", "同志", "经理")
PLACES = ("三楼会议室", "201会议室", "党员活动室", "二号楼报告厅", "局机关大院", "线上腾讯会议")
TASKS = (
    "季度工作总结", "党建工作台账", "安全生产检查表", "项目推进情况", "年度预算草案", "调研报告初稿",
    "信访件办理意见", "学习心得体会", "考勤统计表", "防汛值班安排", "人口普查数据", "招商引资台账",
    "乡村振兴材料", "文明城市创建方案", "疫情防控总结", "干部培训名单",
)
TEMPLATES = (
    "收到", "好的", "收到，马上落实", "好的，我这就处理", "明白", "已完成", "[图片]", "[表情]",
    "辛苦了", "谢谢大家", "收到，谢谢{t}", "哈哈哈", "👍", "OK",
    "请大家于{d}前提交{k}，逾期不候。",
    "{n}{t}，{k}已经发到您邮箱了，请查收。",
    "通知：{d}{h}在{p}召开{k}专题会议，请各科室负责人准时参加。",
    "今天的工作进展：{k}已完成{x}%，预计{d}前全部完成。",
    "@{n} {k}的数据再核对一下，有几处对不上。",
    "{n}：明天我请假一天，{k}由{m}代为处理。",
    "大家注意，{d}上午有检查，请把{k}准备好。",
    "{p}的投影仪坏了，{h}的会改到{q}。",
    "转发：关于做好{k}的通知，请各单位认真学习，抓好落实。",
    "这个问题我跟{n}{t}汇报一下再回复你。",
    "{k}第{x}页有个错别字，麻烦改一下",
    "今天中午食堂有饺子，去晚了就没了",
    "下午{h}前把{k}报给我，谢谢！",
    "本周值班表已更新，{n}周{w}，{m}周{v}。",
    "{n}，你那边{k}的进度怎么样了？～",
    "好的{t}，我们尽快完善后再报给您！",
    "{k}模板在群文件里，大家自行下载……",
)
SHORT = TEMPLATES[:14]
LONG = TEMPLATES[14:]
DAYS = ("周一", "周二", "周三", "周四", "周五", "明天", "后天", "本周五", "下周一", "3月15日", "6月30日")
HOURS = ("上午9点", "上午10点半", "下午2点", "下午3点", "下午4点半", "晚上7点")
WEEKDAYS = "一二三四五六日"

_TRAD = str.maketrans("红包机密礼卡关照审批发说领导英明书记选举换届投票赌钱", "紅包機密禮卡關照審批發說領導英明書記選舉換屆投票賭錢")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def fill(template: str, rng: random.Random) -> str:
    """One ordinary message from a template."""
    return template.format(
        n=_name(rng), m=_name(rng), t=rng.choice(TITLES), k=rng.choice(TASKS), p=rng.choice(PLACES),
        d=rng.choice(DAYS), h=rng.choice(HOURS), q=rng.choice(HOURS), x=rng.randint(1, 99),
        w=rng.choice(WEEKDAYS), v=rng.choice(WEEKDAYS),
    )


def org_terms(count: int, seed: int = 7) -> list[str]:
    """Distinct organisation terms (project code names, firms, people) that plain chat lacks."""
    rng = random.Random(seed)
    rare = "鑫垚淼焱犇骉昊晟睿翊珂玥琰璟瑄骞钰铧锟镕炜烨熠煜"
    common = "华科达信通联创宏泰恒瑞丰盛源兴隆安康博远航天海星辰光明"
    suffix = ("项目", "工程", "集团", "公司", "计划", "专班", "基金", "地块", "标段")
    terms: set[str] = set()
    while len(terms) < count:
        core = rng.choice(rare) + rng.choice(common) + (rng.choice(common) if rng.random() < 0.5 else "")
        terms.add(core + rng.choice(suffix))
    return sorted(terms)


def _resident_id(rng: random.Random) -> str:
    body = f"{rng.choice(['110105', '310104', '440305', '510107'])}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def _evade(term: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return term.translate(_TRAD)
    if roll < 0.45:
        return rng.choice((" ", ".", "🧧", "*", "·")).join(term)
    return term


def risky(rng: random.Random, terms: Sequence[str], pack_terms: Sequence[str]) -> str:
    """A message carrying something a rule should see."""
    kind = rng.random()
    base = fill(rng.choice(LONG), rng)
    if kind < 0.3:
        return base + "，" + _evade(rng.choice(terms), rng) + "的事再议"
    if kind < 0.55:
        return _evade(rng.choice(pack_terms), rng) + "，" + base
    if kind < 0.65:
        return f"{_name(rng)}身份证号{_resident_id(rng)}，{base}"
    if kind < 0.75:
        return f"联系电话1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}，{base}"
    if kind < 0.85:
        return f"{_evade('机密', rng)}★{rng.randint(1, 10)}年 {base}"
    if kind < 0.92:
        return f"王老板发来一个{_evade('红包', rng)}，以后{rng.choice(('多关照', '审批的事费心'))}"
    return f"今晚群里{_evade('押大小', rng)}，{rng.randint(1, 9)}百起押"


def messages(count: int, terms: Sequence[str], pack_terms: Sequence[str], risky_share: float = 0.05,
             seed: int = 11) -> list[str]:
    """`count` messages, `risky_share` of them carrying terms, PII or markings."""
    rng = random.Random(seed)
    return [
        risky(rng, terms, pack_terms) if rng.random() < risky_share else ordinary(rng)
        for _ in range(count)
    ]


def ordinary(rng: random.Random) -> str:
    """A plain message: a short reply (1 in 5) or one or two sentences of work talk."""
    if rng.random() < 0.2:
        return rng.choice(SHORT)
    text = fill(rng.choice(LONG), rng)
    return text + fill(rng.choice(LONG), rng) if rng.random() < 0.42 else text
