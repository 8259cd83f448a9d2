"""How people are named in chat: the ONE reading of names for masking and `pii.person_name`.

- 称谓 (forms of address): a surname with a title (孙主任, 杨县长, 张书记) or with 老/小
  (老王, 小李) names a person as surely as the full name does in a county office;
- a roster name (people.csv) written with spaces or dots (李 四 华: the normaliser drops
  them), as its given name with a title (四华主任), or in pinyin (Li Sihua, LI Sihua,
  lisihua, Sihua Li).

Texts here are normalised (`redline.text.normalize_batch`: lower case, separators between
汉字 dropped); callers map spans back to the original with the batch's offsets.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from redline.text.pinyin import readings

# The commonest single-character surnames (百家姓 by today's frequency, about nine in ten
# people), minus those that are everyday function words before a title (和主任, 向书记,
# 于是, 小于) where a false mask would garble the sentence.
SURNAMES: Final = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹熊白孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂焦祝柴"
)
COMPOUND_SURNAMES: Final = frozenset(
    {"欧阳", "司马", "诸葛", "上官", "东方", "夏侯", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐"})
# Titles and forms of address that follow a surname or a given name (职务, 称谓).
TITLES: Final = (
    "书记", "副书记", "主任", "副主任", "局长", "副局长", "县长", "副县长", "市长", "副市长", "镇长",
    "乡长", "村长", "区长", "省长", "厅长", "处长", "科长", "股长", "部长", "所长", "站长", "队长",
    "院长", "校长", "主席", "委员", "秘书", "干事", "会计", "出纳", "经理", "总经理", "董事长", "老板",
    "老师", "师傅", "医生", "律师", "警官", "同志", "组长", "社长", "行长", "总监", "阿姨",
    "大哥", "大姐", "老板娘", "先生", "女士", "小姐",
)
# No one-character titles (王总, 李工, 张哥): 施工, 汇总, 黄金总量 would read as names.
_GIVEN_TITLES: Final = TITLES
_PREFIXES: Final = "老小"  # 老王, 小李
_SURNAME_CLASS: Final = "".join(sorted(SURNAMES))
_TITLE_ALT: Final = "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True))
# a surname + title anywhere (找孙主任, 和杨县长): Chinese has no spaces before a name; the
# words that end in a title (县委办主任, 副县长, 班主任) end in no listed surname
_SURNAME_TITLE: Final = re.compile(
    rf"(?:(?P<compound>{'|'.join(sorted(COMPOUND_SURNAMES))})|(?P<single>[{_SURNAME_CLASS}]))"
    rf"(?=(?:{_TITLE_ALT}))"
)
# 老王, 小李: the surname must end the word (老王说 yes; 老王八 and 小程序 are words of their own
# only when a 汉字 that is not a verb-like continuation follows: kept simple, a following 汉字
# that is itself a surname or in a short stop list ends the match)
_PREFIXED: Final = re.compile(rf"(?<![大不])[{_PREFIXES}](?P<single>[{_SURNAME_CLASS}])")
_LATIN: Final = re.compile(r"[a-z]")
_LETTERS_ONLY: Final = re.compile(r"[^a-z]")
_NOT_AFTER_PREFIXED: Final = frozenset("子家师板婆公头伙鬼八儿姐哥弟妹人们辈序时区型组")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a normalised text: characters [start, end); [name_start, name_end) is the
    name part (孙 of 孙主任, 王 of 老王, 四华 of 四华主任): what masking hides."""

    start: int
    end: int
    name_start: int
    name_end: int
    kind: str  # "surname+title", "prefix+surname", "given+title", "pinyin"
    person: str | None = None  # the roster name it stands for, when known


def title_mentions(text: str) -> list[Mention]:
    """Surname + title (孙主任, 欧阳书记) and 老/小 + surname (老王, 小李) in a normalised text."""
    out: list[Mention] = []
    for m in _SURNAME_TITLE.finditer(text):
        title = _title_at(text, m.end())
        out.append(Mention(m.start(), m.end() + len(title), m.start(), m.end(), "surname+title"))
    for m in _PREFIXED.finditer(text):
        after = text[m.end():m.end() + 1]
        if after and after in _NOT_AFTER_PREFIXED:
            continue
        out.append(Mention(m.start(), m.end(), m.start("single"), m.end(), "prefix+surname"))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


def _title_at(text: str, at: int) -> str:
    for title in sorted(TITLES, key=len, reverse=True):
        if text.startswith(title, at):
            return title
    return ""


def split_name(name: str) -> tuple[str, str] | None:
    """(surname, given name) of a 汉字 name of 2–4 characters, or None."""
    if not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return None
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return name[:2], name[2:]
    return name[0], name[1:]


@functools.lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, ...]:
    """A name's pinyin as letters only, surname first or last (lisihua, sihuali); at most two
    readings of each part (polyphones: 单 dan/shan)."""
    parts = split_name(name)
    if parts is None:
        return ()
    surname, given = parts
    keys: dict[str, None] = {}
    for sur, giv in itertools.product(readings(surname)[:2], readings(given)[:2]):
        keys["".join(sur) + "".join(giv)] = None
        keys["".join(giv) + "".join(sur)] = None
    return tuple(keys)


_LATIN_RUN: Final = re.compile(r"[a-z]+(?:[\s._\-·]+[a-z]+)*")
_WORD: Final = re.compile(r"[a-z]+")
_TITLE_RE: Final = re.compile("|".join(sorted(map(re.escape, _GIVEN_TITLES), key=len, reverse=True)))
MAX_PINYIN_WORDS: Final = 4  # li si hua: at most one word per syllable of a 3-4 character name


class RosterForms:
    """The other ways of writing a roster's names: given name + title, and pinyin.

    Built once per roster (a masker per organisation, a detector per plan) as two dictionaries,
    so building costs the pinyin of each name and nothing more. `find` looks up the two
    characters before each title, and every run of up to four consecutive Latin words.
    """

    def __init__(self, names: Iterable[str]) -> None:
        roster = sorted(set(names))
        self.given: dict[str, str] = {}
        # two roster names spelled alike (李四华, 李思华) leave the person unknown (None)
        self.letters: dict[str, str | None] = {}
        for name in roster:
            parts = split_name(name)
            if parts is None:
                continue
            # a one-character given name with a title (华主任) is a surname + title far
            # more often than a given name; only given names of two characters count
            if len(parts[1]) == 2:
                self.given.setdefault(parts[1], name)
            for key in pinyin_keys(name):
                self.letters[key] = name if self.letters.get(key, name) == name else None

    def find(self, text: str) -> list[Mention]:
        """Given name + title and pinyin mentions of roster names in a normalised text."""
        out: list[Mention] = []
        if self.given:
            for m in _TITLE_RE.finditer(text):
                given = text[max(0, m.start() - 2):m.start()]
                if given in self.given:
                    out.append(Mention(m.start() - 2, m.end(), m.start() - 2, m.start(), "given+title",
                                       self.given[given]))
        if self.letters and _LATIN.search(text) is not None:
            for run in _LATIN_RUN.finditer(text):
                out += self._pinyin(run)
        return out

    def _pinyin(self, run: re.Match[str]) -> list[Mention]:
        words = [(w.start() + run.start(), w.end() + run.start(), w.group()) for w in _WORD.finditer(run.group())]
        out: list[Mention] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_PINYIN_WORDS, len(words) - i), 0, -1):
                key = "".join(w for _, _, w in words[i:i + n])
                if key in self.letters:
                    start, end = words[i][0], words[i + n - 1][1]
                    out.append(Mention(start, end, start, end, "pinyin", self.letters[key]))
                    i += n
                    break
            else:
                i += 1
        return out
