"""Lexicons: named term lists (`lexicons/*.txt`) that packs reference by name.

Format: one term a line, `#` starts a comment; header comments may set `# title: …` and
`# org_supplied: true` (an organisation-supplied list that ships EMPTY: rules that need it
are "not covered" until the organisation fills it through its overrides file). A term may
carry flags: `红包|initials` asks the lexicon detector to also match its initials (opt-in,
since initials such as `hb` are noisy); `|exact` turns off the pinyin and mixed-script
spellings every term of two or more 汉字 gets; `|inword` lets a two-character term match
where a word segmenter splits it across two words (快转 in 加快转变 is otherwise no hit);
`|pinyin` is accepted (it is the default).
Flags are kept verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from redline.errors import PackError, SourceLocation
from redline.specs.yaml_source import display_path

TERM_FLAGS: Final = frozenset({"pinyin", "initials", "exact", "inword"})
# set by merge_terms on a term the organisation added (overrides' `add`), never written by hand
ORG_FLAG: Final = "org"
LEXICON_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_HEADER: Final = re.compile(r"^#\s*(title|org_supplied)\s*:\s*(.*?)\s*$")
SHIPPED_DIR: Final = Path(__file__).resolve().parent.parent / "lexicons"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One term list. `terms` keep their `|flag` suffixes; `org_supplied` lists ship empty."""

    name: str
    terms: tuple[str, ...]
    org_supplied: bool = False
    title: str = ""
    path: Path | None = None

    @property
    def bare_terms(self) -> tuple[str, ...]:
        """The terms without their flags."""
        return tuple(t.split("|", 1)[0] for t in self.terms)


def check_term(term: str, where: SourceLocation) -> str:
    """Validate one term with optional flags; returns it stripped, or raises PackError."""
    text = term.strip()
    word, *flags = text.split("|")
    word = word.strip()
    if not word:
        raise PackError("empty term", where)
    unknown = [f for f in flags if f.strip() not in TERM_FLAGS]
    if unknown:
        raise PackError(f"unknown term flag {unknown[0]!r} (known: {', '.join(sorted(TERM_FLAGS))})", where)
    return "|".join([word, *(f.strip() for f in flags)])


def parse_lexicon(path: Path, errors: list[PackError]) -> Lexicon:
    """Read one lexicon file, collecting errors (bad flags, duplicates) with their line."""
    path = display_path(path)
    name = path.stem
    if not LEXICON_NAME.match(name):
        errors.append(PackError(f"bad lexicon name {name!r}: lower-case letters, digits and '-'", SourceLocation(path)))
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(PackError(f"cannot read lexicon: {exc}", SourceLocation(path)))
        return Lexicon(name, (), path=path)
    title, org_supplied = "", False
    terms: list[str] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = _HEADER.match(line)
            if header and header.group(1) == "title":
                title = header.group(2)
            elif header:
                org_supplied = header.group(2).lower() in {"true", "yes", "1"}
            continue
        where = SourceLocation(path, lineno, 1)
        try:
            term = check_term(line, where)
        except PackError as exc:
            errors.append(exc)
            continue
        bare = term.split("|", 1)[0]
        if bare in seen:
            errors.append(PackError(f"duplicate term {bare!r} (first on line {seen[bare]})", where))
            continue
        seen[bare] = lineno
        terms.append(term)
    if org_supplied and terms:
        # The shipped copy of an organisation list must stay empty: terms belong in overrides.
        errors.append(PackError("an org_supplied lexicon ships empty; put terms in the overrides file", SourceLocation(path)))
    return Lexicon(name, tuple(terms), org_supplied, title, path)


def load_lexicons(dirs: Iterable[Path], errors: list[PackError]) -> dict[str, Lexicon]:
    """Every `*.txt` lexicon of the given folders, by name; later folders may not redefine."""
    out: dict[str, Lexicon] = {}
    for folder in dirs:
        for path in sorted(Path(folder).glob("*.txt")):
            lex = parse_lexicon(path, errors)
            if lex.name in out:
                errors.append(PackError(f"lexicon {lex.name!r} already defined in {out[lex.name].path}", SourceLocation(path)))
                continue
            out[lex.name] = lex
    return out


def merge_terms(base: Lexicon, add: Iterable[str], remove: Iterable[str]) -> Lexicon:
    """The lexicon with organisation terms added and removed (by bare term), order kept; an
    added term carries the `org` flag (its hits are the organisation's own call, which no model
    veto overrules: detectors/lexicon.py)."""
    removed = {t.split("|", 1)[0] for t in remove}
    terms = [t for t in base.terms if t.split("|", 1)[0] not in removed]
    seen = {t.split("|", 1)[0] for t in terms}
    for term in add:
        bare = term.split("|", 1)[0]
        if bare not in seen and bare not in removed:
            terms.append(term if ORG_FLAG in term.split("|")[1:] else f"{term}|{ORG_FLAG}")
            seen.add(bare)
    return Lexicon(base.name, tuple(terms), base.org_supplied, base.title, base.path)


def as_build_lexicons(lexicons: Mapping[str, Lexicon]) -> dict[str, tuple[str, ...]]:
    """The mapping a BuildContext carries: name → terms (with flags)."""
    return {name: lex.terms for name, lex in lexicons.items()}
