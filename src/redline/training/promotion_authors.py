"""Group chat written for Redline about advertising (`data/promotion/authors/<author>/`).

`clf.promotion` learned ads from two QQ groups and from work chat; it finds few ads in groups of a
kind it never read (issue 21 item 7). Authors who never saw those sources each write the chat of
groups of their own kind (young people's QQ groups; older adults' WeChat groups; comment sections
and workplace groups): ads in `ads.txt`, messages that look close but sell nothing in
`not_<kind>.txt` (prices, contacts, links, buying, notices, games, work) and ordinary chat in
`chat.txt` (or `not_chat.txt`). Each line is `setting|register|text`; the first line and any
other `#` line is a comment.

Each author is one chat source: trained on like the others, and left out in turn, so that the
leave-one-source-out figures include groups written by someone the model never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from redline.errors import ConfigError

AUTHORS_DIR: Final = Path(__file__).resolve().parents[3] / "data" / "promotion" / "authors"
SOURCE_PREFIX: Final = "written:"  # an author's chat source is named `written:<author>`
FILE_NAME: Final = re.compile(r"^(ads|chat|not_[a-z0-9_]+)\.txt$")


@dataclass(frozen=True, slots=True)
class AuthorLine:
    """One written message (raw: normalisation is the caller's, as for every other source)."""

    author: str
    kind: str  # ads, chat, or the not_ file's kind (price, contact, link …)
    setting: str  # where it is posted: QQ游戏群, 微信业主群, 企业微信群 …
    text: str
    ad: bool


def parse_file(path: Path, author: str) -> list[AuthorLine]:
    """The messages of one author file; a malformed line is an error naming file and line."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise ConfigError(f"{path}: name must be ads.txt, chat.txt or not_<kind>.txt")
    stem = match.group(1)
    kind = stem.removeprefix("not_")
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("|")
        if len(fields) != 3 or not fields[0].strip() or not fields[2].strip():
            raise ConfigError(f"{path}:{number}: expected `setting|register|text`, got {line[:40]!r}")
        out.append(AuthorLine(author, kind, fields[0].strip(), fields[2].strip(), stem == "ads"))
    return out


def read_authors(root: Path = AUTHORS_DIR) -> list[AuthorLine]:
    """Every author's lines (files in name order); a missing folder gives none."""
    if not root.is_dir():
        return []
    out: list[AuthorLine] = []
    for path in sorted(root.glob("*/*.txt")):
        out += parse_file(path, path.parent.name)
    return out


def source_name(author: str) -> str:
    return SOURCE_PREFIX + author
