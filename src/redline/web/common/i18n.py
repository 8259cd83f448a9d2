"""Translations: Babel gettext catalogues (zh_CN first, en second) and choosing one per request."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Final

from babel.support import NullTranslations, Translations

LANGUAGES: Final = ("zh_CN", "en")
DEFAULT: Final = "zh_CN"
LANG_COOKIE: Final = "redline_lang"


@cache
def translations(locale_dir: Path, language: str) -> NullTranslations:
    """The compiled catalogue (messages.mo) of `language` under `locale_dir`."""
    return Translations.load(str(locale_dir), [language], domain="messages")


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The language cookie if valid, else the first supported Accept-Language, else zh_CN."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().replace("-", "_").lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh_CN"
    return DEFAULT


def gettext_for(locale_dir: Path, language: str) -> Callable[[str], str]:
    """The `_` function templates and views use for `language`."""
    return translations(locale_dir, language).gettext
