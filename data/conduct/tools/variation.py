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
from rewrites import (
    ABBREVIATIONS,
    AMOUNTS,
    CASUAL_EMOJI,
    DIALECT_TAILS,
    DIALECT_WORDS,
    EMOJI,
    HOMOPHONES,
    PINYIN_WORDS,
    ROLES,
    TYPOS,
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
