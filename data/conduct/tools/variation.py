"""Register variation of hand-written lines: the same message as people would also type it.

Every rule rewrites the *form* of a line (spelling, script, abbreviations, particles, emoji,
the role or amount named) and never its act: a variant keeps the labels of its hand line.
Rules that changed meaning were left out on purpose: deleting negations, swapping verbs,
shortening a sentence to its keyword. Each rule returns None when it does not apply, so a
line only gets the variants that make sense for it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import opencc
from pypinyin import Style, lazy_pinyin

# Confusions people make when typing with a pinyin IME (同音错字): each pair reads the same.
TYPOS: tuple[tuple[str, str], ...] = (
    ("的", "得"),
    ("在", "再"),
    ("已经", "以经"),
    ("做", "作"),
    ("账", "帐"),
    ("象", "像"),
    ("那", "哪"),
    ("他", "她"),
    ("吧", "把"),
    ("题目", "题木"),
    ("坚决", "坚绝"),
    ("哪个", "那个"),
    ("知道", "知到"),
    ("事情", "事请"),
    ("安排", "按排"),
    ("提前", "题前"),
    ("消息", "消习"),
    ("通知", "通治"),
    ("领导", "领到"),
    ("再说", "在说"),
    ("现在", "现再"),
    ("明天", "明填"),
    ("辛苦", "幸苦"),
    ("检查", "检察"),
    ("报销", "报消"),
)

# Abbreviations from chat (缩写): pinyin initials or Latin shorthands for common words.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("微信", "vx"),
    ("红包", "hb"),
    ("身份证", "sfz"),
    ("机密", "jm"),
    ("领导", "ld"),
    ("转账", "zz"),
    ("书记", "sj"),
    ("纪委", "jw"),
    ("手机号", "sjh"),
    ("私聊", "sl"),
    ("朋友圈", "pyq"),
    ("投票", "tp"),
    ("老板", "lb"),
    ("兄弟们", "xdm"),
    ("什么", "sm"),
    ("谢谢", "3q"),
    ("不知道", "bzd"),
    ("可以", "ky"),
    ("收到", "sd"),
    ("支付宝", "zfb"),
    ("购物卡", "gwk"),
    ("麻将", "mj"),
    ("斗地主", "ddz"),
    ("局长", "jz"),
    ("科长", "kz"),
    ("电话", "dh"),
    ("文件", "wj"),
    ("群里", "q里"),
    ("好的", "hd"),
    ("不好意思", "bhys"),
    ("对不起", "dbq"),
    ("有一说一", "u1s1"),
    ("搞快点", "gkd"),
    ("牛逼", "nb"),
    ("小姐姐", "xjj"),
    ("人民币", "rmb"),
    # Amounts typed as digits, k and w (万), as most people do in chat.
    ("一万", "1w"),
    ("两万", "2w"),
    ("一千", "1k"),
    ("两千", "2k"),
    ("五百", "500"),
    ("三百", "300"),
    ("两百", "200"),
    ("一百", "100"),
    ("五十", "50"),
    ("二十", "20"),
)

# Homophone spellings (谐音) used to get past word lists; each reads as the original.
HOMOPHONES: tuple[tuple[str, str], ...] = (
    ("红包", "红苞"),
    ("微信", "薇信"),
    ("机密", "机蜜"),
    ("身份证", "身份正"),
    ("赌", "堵"),
    ("转账", "转帐"),
    ("领导", "领盗"),
    ("送礼", "送李"),
    ("拉票", "拉漂"),
    ("算命", "算明"),
    ("风水", "风谁"),
    ("谣言", "谣盐"),
    ("内部", "内布"),
    ("文件", "文建"),
    ("购物卡", "购物咔"),
    ("麻将", "麻酱"),
    ("投票", "投漂"),
    ("下注", "下柱"),
    ("礼金", "礼今"),
    ("书记", "书计"),
    ("局长", "局涨"),
    ("老板", "老版"),
    ("请客", "请克"),
    ("保密", "保蜜"),
    ("名单", "名丹"),
    ("试卷", "试眷"),
    ("钱", "前"),
    ("赢", "营"),
    ("输", "书"),
    ("票", "漂"),
    # Internet homophones (网络谐音) used for the same words in any message.
    ("什么", "神马"),
    ("没有", "木有"),
    ("有没有", "有木有"),
    ("喜欢", "稀饭"),
    ("同学", "童鞋"),
    ("这样子", "酱紫"),
    ("兄弟", "胸弟"),
    ("知道", "造"),
    ("不要", "表"),  # guarded: 要不要 stays (see _GUARDED)
    ("微信", "威信"),
)

# Words worth spelling in pinyin (拼音) the way evaders do; the longest present is used.
PINYIN_WORDS: tuple[str, ...] = (
    "红包",
    "微信",
    "机密",
    "文件",
    "身份证",
    "赌",
    "麻将",
    "下注",
    "投票",
    "拉票",
    "选举",
    "领导",
    "书记",
    "局长",
    "送礼",
    "礼金",
    "购物卡",
    "名单",
    "试卷",
    "方案",
    "谣言",
    "消息",
    "风水",
    "算命",
    "大师",
    "老板",
    "请客",
    "吃饭",
    "推荐",
    "代购",
    "链接",
    "私聊",
    "转发",
    "举报",
    "通报",
    "电话",
    "住址",
    "病历",
    "升职",
    "提拔",
    "兄弟",
    "老乡",
    "傻逼",
    "他妈的",
    "截图",
    "照片",
    "名字",
    "工资",
    "喝酒",
    "关系",
    "好处",
    "领导",
    "钱",
)

# Dialect particles and words (方言): southwestern and northern forms for the same meaning.
DIALECT_WORDS: tuple[tuple[str, str], ...] = (
    ("什么", "啥子"),
    ("怎么", "咋个"),
    ("不要", "莫"),
    ("没有", "没得"),
    ("今天", "今儿个"),
    ("知道", "晓得"),
    ("一下", "一哈"),
    ("家里", "屋头"),
    ("明天", "明儿个"),
    ("大家", "大伙儿"),
    ("我们", "咱们"),
    ("聊天", "摆龙门阵"),
    ("这样", "这么个"),
    ("厉害", "凶"),
)
DIALECT_TAILS: tuple[str, ...] = ("哈", "嘛", "噻", "嘞", "哦", "撒", "咯")

# Emoji that add no act of their own; laughing ones only where the line is not formal.
EMOJI: tuple[str, ...] = ("🙏", "👍", "👀", "👌", "🙂", "😊", "🤝")
CASUAL_EMOJI: tuple[str, ...] = ("😂", "😅", "😄", "🤣", "😎")

# Who speaks and how much: substitutions that keep the act (a superior stays a superior).
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("科长", ("主任", "股长", "处长")),
    ("局长", ("主任", "书记")),
    ("所长", ("教导员",)),
    ("老王", ("老张", "老李", "老陈")),
    ("小刘", ("小陈", "小赵")),
    ("老李", ("老周", "老孙")),
    ("小张", ("小吴", "小郑")),
    ("校长", ("副校长", "书记")),
    ("院长", ("副院长", "书记")),
    ("处长", ("副处长", "主任")),
    ("张局", ("王局", "刘局")),
    ("王书记", ("李书记", "赵书记")),
    ("老周", ("老黄",)),
    ("老张", ("老刘", "老马")),
    ("小李", ("小王", "小孙")),
    ("张总", ("李总", "王总")),
    ("王老板", ("刘老板", "陈老板")),
    ("我老婆", ("我爱人", "我媳妇")),
    ("我表哥", ("我堂哥", "我表弟")),
    ("我同学", ("我老同学", "我发小")),
    ("我朋友", ("我哥们", "我一个朋友")),
    ("侄子", ("外甥",)),
    ("我亲戚", ("我远房亲戚",)),
)

# Spelled-out amounts and stakes: another sum of the same kind, never a different act.
AMOUNTS: tuple[tuple[str, str], ...] = (
    ("两百块", "三百块"),
    ("五百块", "八百块"),
    ("一千块", "两千块"),
    ("两千块", "三千块"),
    ("五十块", "八十块"),
    ("一百块", "两百块"),
    ("二十块", "三十块"),
    ("十块", "二十块"),
    ("每人两百", "每人三百"),
    ("每人五百", "每人六百"),
    ("每人一千", "每人一千五"),
    ("一把五十", "一把一百"),
    ("一把二十", "一把三十"),
    ("五千", "八千"),
    ("三千", "四千"),
    ("两万", "三万"),
)

_PUNCT = re.compile(r"[，。！？、；：,.!?;:]+")
_NUMBER = re.compile(r"(?<![\dA-Za-z.])(\d{2,5})(?![\dA-Za-z.%])")
_HAS_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_S2T = opencc.OpenCC("s2t")

Rule = Callable[[str, random.Random], str | None]


_NUMERALS = "零一二两三四五六七八九十百千万"
# Words that must not be rewritten inside a longer word where they mean something else.
_GUARDED = {"不要": r"(?<!要)不要(?!脸)", "知道": r"(?<!不)知道"}


def _pattern(old: str) -> re.Pattern[str]:
    """Where `old` may be rewritten: a spelled number only when it is the whole number
    (一百 not in 一百二十, 十块 not in 五十块), a guarded word only in its own sense."""
    if old in _GUARDED:
        return re.compile(_GUARDED[old])
    body = re.escape(old)
    if old[0] in _NUMERALS:
        body = f"(?<![{_NUMERALS}]){body}"
    if old[-1] in _NUMERALS:
        body = f"{body}(?![{_NUMERALS}])"
    return re.compile(body)


def _replace_some(
    text: str, table: tuple[tuple[str, str], ...], rng: random.Random, most: int
) -> str | None:
    """Apply up to `most` of the table's replacements that occur in text (first occurrence)."""
    present = [(_pattern(old), new) for old, new in table if old in text]
    present = [(pattern, new) for pattern, new in present if pattern.search(text)]
    if not present:
        return None
    rng.shuffle(present)
    for pattern, new in present[:most]:
        text = pattern.sub(new, text, count=1)
    return text


def typo(text: str, rng: random.Random) -> str | None:
    return _replace_some(text, TYPOS, rng, 2)


def abbreviation(text: str, rng: random.Random) -> str | None:
    return _replace_some(text, ABBREVIATIONS, rng, 2)


def homophone(text: str, rng: random.Random) -> str | None:
    return _replace_some(text, HOMOPHONES, rng, 1)


def pinyin(text: str, rng: random.Random) -> str | None:
    """Spell one loaded word in pinyin: whole syllables or initials, as evaders do."""
    present = [w for w in PINYIN_WORDS if w in text]
    if not present:
        return None
    word = max(present, key=len)
    style = Style.FIRST_LETTER if rng.random() < 0.4 else Style.NORMAL
    return text.replace(word, "".join(lazy_pinyin(word, style=style)), 1)


def dialect(text: str, rng: random.Random) -> str | None:
    """Swap in dialect words, or add a sentence-final particle where there is none."""
    swapped = _replace_some(text, DIALECT_WORDS, rng, 2)
    if swapped is not None:
        return swapped
    if text[-1] in DIALECT_TAILS or _HAS_EMOJI.search(text[-2:]):
        return None
    tail = rng.choice(DIALECT_TAILS)
    if text[-1] in "。！!":
        return text[:-1] + tail + text[-1]
    return text + tail


def emoji(text: str, rng: random.Random) -> str | None:
    if _HAS_EMOJI.search(text):
        return None
    formal = any(word in text for word in ("请", "严禁", "通报", "不得", "提醒", "通知"))
    pool = EMOJI if formal else EMOJI + CASUAL_EMOJI
    return text + rng.choice(pool) * rng.choice((1, 1, 2, 3))


def terse(text: str, rng: random.Random) -> str | None:
    """Chat without punctuation: clauses split by spaces, no final stop."""
    if not _PUNCT.search(text):
        return None
    out = _PUNCT.sub(" ", text).strip()
    return out if out != text else None


def traditional(text: str, rng: random.Random) -> str | None:
    """Traditional characters (繁体), as typed in some groups or to evade simplified lists."""
    out = _S2T.convert(text)
    return out if out != text else None


def role_or_amount(text: str, rng: random.Random) -> str | None:
    """Another role, name or amount; the act and its parties stay the same kind."""
    # (?<!副): 副院长 must not become 副副院长.
    options = [(old, rng.choice(news)) for old, news in ROLES if re.search(f"(?<!副){old}", text)]
    if options:
        old, new = rng.choice(options)
        return re.sub(f"(?<!副){old}", new, text)
    spelled = _replace_some(text, AMOUNTS, rng, 1)
    if spelled is not None:
        return spelled
    match = _NUMBER.search(text)
    if match is None:
        return None
    value = int(match.group(1))
    if 1900 <= value <= 2100 or value in (110, 120, 119, 12388, 12345, 12315):
        return None  # a year or a hotline, not an amount
    scaled = value * rng.choice((2, 3, 5)) // 2
    return text[: match.start()] + str(scaled) + text[match.end() :]


RULES: dict[str, Rule] = {
    "typo": typo,
    "abbreviation": abbreviation,
    "homophone": homophone,
    "pinyin": pinyin,
    "dialect": dialect,
    "emoji": emoji,
    "terse": terse,
    "traditional": traditional,
    "role_or_amount": role_or_amount,
}

# How readily a rule is chosen. Traditional script and bare punctuation-stripping are real
# registers but carry little new form, so they are kept rarer than the rewrites people vary.
RULE_WEIGHT: dict[str, float] = {
    "typo": 3.0,
    "abbreviation": 3.0,
    "homophone": 3.0,
    "pinyin": 2.0,
    "dialect": 3.0,
    "emoji": 2.5,
    "terse": 1.0,
    "traditional": 0.4,
    "role_or_amount": 3.0,
}

# The register a variant is filed under, for the datasheet's counts.
RULE_REGISTER: dict[str, str] = {
    "typo": "typo",
    "abbreviation": "abbr",
    "homophone": "homophone",
    "pinyin": "pinyin",
    "dialect": "dialect",
    "emoji": "emoji",
    "terse": "terse",
    "traditional": "traditional",
    "role_or_amount": "",  # keeps the hand line's register
}


def variants(text: str, seed: str, wanted: int) -> list[tuple[str, str]]:
    """Up to `wanted` (≤ 4) distinct (rule, text) variants of a line, chosen reproducibly."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible choice of variants, not secrecy
    # A weighted shuffle (Efraimidis-Spirakis keys): heavier rules tend to come first.
    names = sorted(RULES, key=lambda name: -(rng.random() ** (1 / RULE_WEIGHT[name])))
    out: list[tuple[str, str]] = []
    seen = {text}
    for name in names:
        if len(out) >= min(wanted, 4):
            break
        new = RULES[name](text, rng)
        if new is None or new in seen or not new.strip():
            continue
        seen.add(new)
        out.append((name, new))
    return out
