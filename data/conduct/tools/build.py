"""Build data/conduct/{train,dev}.jsonl.gz from the hand-written lines in data/conduct/hand/
and data/conduct/authors/<author>/.

Run from the repository root:  python data/conduct/tools/build.py
The output is a pure function of the hand files (variants are seeded by the line's text), so
the test in tests/training/test_conduct_corpus.py can rebuild and compare.

Hand file format, one message a line (blank lines and lines starting with # are skipped):
    unit|register|text[|+label,label]
A file is named after its category (gifts.txt) or is neg_<kind>.txt for negatives.

Authors: `hand/` is the first author's (`a0`); each folder `authors/<name>/` holds another
independent author's lines in the same format, and every row records its `author`, so that
a model can be scored on an author it was not fitted on (leave-one-author-out). Every author's
lines get as many variants per line as a0's lines of the same kind (the targets are a0's),
and the same hash split. A text another author already wrote is kept once, with the first
author (a0 first, then the folders by name); a duplicate within one author is an error.

Hardness is decided here, not by the annotator's mood: a negative is hard unless its kind is
in EASY_KINDS (ordinary work and family chat); a violation is hard when it contains none of
its categories' TEXTBOOK words, i.e. a word-list screen would have to understand it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
from hardness import is_hard
from variation import RULE_REGISTER, variants

from redline.training.conduct_data import NON_WORK_UNITS
from redline.training.datasets import is_validation

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "hand"
AUTHORS = ROOT / "authors"
FIRST_AUTHOR = "a0"  # the author of hand/

CATEGORIES = (
    "secrets",
    "privacy",
    "rumour",
    "vulgar",
    "promotion",
    "gifts",
    "gambling",
    "superstition",
    "factions",
    "vote_buying",
    "flattery",
    "off_topic",
    "conduct",
)
EASY_KINDS = frozenset({"work", "family"})
REGISTERS = {
    "p": "plain",
    "t": "terse",
    "l": "long",
    "d": "dialect",
    "e": "emoji",
    "ty": "typo",
    "a": "abbr",
    "h": "homophone",
    "py": "pinyin",
    "f": "formal",
}
# Counts the variation aims a little past, so a dropped duplicate does not miss the target.
VIOLATION_TARGET = 640
NEGATIVE_TARGET = 6400
SPLIT_SALT = "conduct"  # a hand line and its variants go to dev when its text's hash says so


@dataclass
class HandLine:
    """One hand-written message with its annotation; `group` names it and its variants."""

    text: str
    labels: list[str]
    hard: bool
    unit: str
    register: str
    kind: str
    source: str  # file:line, for error messages
    author: str = FIRST_AUTHOR
    group: str = field(init=False)

    def __post_init__(self) -> None:
        self.group = hashlib.blake2b(self.text.encode(), digest_size=6).hexdigest()


def parse_file(path: Path, author: str = FIRST_AUTHOR) -> list[HandLine]:
    stem = path.stem
    negative = stem.startswith("neg_")
    kind = stem[4:] if negative else stem
    if not negative and stem not in CATEGORIES:
        raise ValueError(f"{path.name}: not a category or neg_<kind> file")
    lines: list[HandLine] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        where = f"{path.name}:{number}" if author == FIRST_AUTHOR else f"{author}/{path.name}:{number}"
        parts = raw.split("|")
        extra: list[str] = []
        if len(parts) > 3 and parts[-1].startswith("+"):
            extra = [x.strip() for x in parts.pop()[1:].split(",")]
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{where}: expected unit|register|text, got {raw!r}")
        unit, code, text = (p.strip() for p in parts)
        if code not in REGISTERS:
            raise ValueError(f"{where}: unknown register {code!r}")
        labels = [] if negative else [stem, *extra]
        if negative and extra:
            raise ValueError(f"{where}: a negative carries no labels")
        if unknown := set(labels) - set(CATEGORIES):
            raise ValueError(f"{where}: unknown labels {sorted(unknown)}")
        hard = kind not in EASY_KINDS if negative else is_hard(text, labels)
        lines.append(HandLine(text, sorted(set(labels)), hard, unit, REGISTERS[code], kind, where, author))
    return lines


def author_folders(root: Path = ROOT) -> list[tuple[str, Path]]:
    """(author, folder) pairs: a0 = hand/, then authors/<name>/ in the order they joined (w2
    before w10: a later author never takes over an earlier one's line that both wrote)."""
    folders = [(FIRST_AUTHOR, root / "hand")]
    if (root / "authors").is_dir():
        joined = sorted((p for p in (root / "authors").iterdir() if p.is_dir()), key=lambda p: _joined(p.name))
        folders += [(p.name, p) for p in joined]
    return folders


def _joined(name: str) -> tuple[str, int]:
    """w10 → ("w", 10): authors are numbered in the order they wrote."""
    stem = name.rstrip("0123456789")
    return stem, int(name[len(stem):] or 0)


def load_hand(root: Path = ROOT) -> list[HandLine]:
    """Every author's hand lines; a text seen before (another author's) is kept once."""
    lines: list[HandLine] = []
    seen: dict[str, HandLine] = {}
    for author, folder in author_folders(root):
        if author == FIRST_AUTHOR and folder.name != "hand":
            raise ValueError(f"{folder}: {FIRST_AUTHOR} is the author of hand/")
        for path in sorted(folder.glob("*.txt")):
            for line in parse_file(path, author):
                first = seen.get(line.text)
                if first is None:
                    seen[line.text] = line
                    lines.append(line)
                elif first.author == author:
                    raise ValueError(f"{line.source}: duplicate of {first.source}: {line.text}")
                # else: two authors wrote the same words (short chat); the first one keeps it
    return lines


def wanted_variants(lines: list[HandLine]) -> dict[str, int]:
    """Variants per hand line of each file kind: enough for a0's lines to reach the targets,
    at most 4; other authors' lines get the same number per kind (one at least)."""
    first = [line for line in lines if line.author == FIRST_AUTHOR]
    by_kind = Counter(line.kind for line in first)
    negatives = sum(n for kind, n in by_kind.items() if kind not in CATEGORIES)
    out: dict[str, int] = {}
    for kind, n in by_kind.items():
        target, base = (VIOLATION_TARGET, n) if kind in CATEGORIES else (NEGATIVE_TARGET, negatives)
        out[kind] = max(0, min(4, math.ceil(target / base) - 1))
    for line in lines:
        out.setdefault(line.kind, 1)  # a kind only another author wrote
    return out


def channel(unit: str) -> str:
    return NON_WORK_UNITS.get(unit, "work")


def _bigrams(text: str) -> set[str]:
    kept = "".join(ch for ch in text if ch.isalnum())
    return {kept[i : i + 2] for i in range(len(kept) - 1)}


NEAR_COPY = 0.8  # share of character bigrams two hand lines have in common to be one line for the split


def splits(lines: list[HandLine]) -> list[str]:
    """Each hand line's split by the hash of its text, except that a near copy of an earlier
    line (two authors writing 祝老班长生日快乐 with and without an emoji) follows that line, so
    dev never holds a line train has almost word for word."""
    out: list[str] = []
    index: dict[str, list[int]] = {}
    grams: list[set[str]] = []
    for i, line in enumerate(lines):
        g = _bigrams(line.text)
        shared = Counter(j for gram in g for j in index.get(gram, ()))
        near = [j for j, n in shared.items() if n / len(g | grams[j]) >= NEAR_COPY]
        if near:
            out.append(out[min(near)])
        else:
            out.append("dev" if is_validation(line.text, SPLIT_SALT) else "train")
        grams.append(g)
        for gram in g:
            index.setdefault(gram, []).append(i)
    return out


def records(lines: list[HandLine]) -> list[dict[str, object]]:
    wanted = wanted_variants(lines)
    hand_texts = {line.text for line in lines}
    seen = set(hand_texts)
    out: list[dict[str, object]] = []
    for line, split in zip(lines, splits(lines), strict=True):
        base = {
            "author": line.author,
            "labels": line.labels,
            "hard": line.hard,
            "unit": line.unit,
            "kind": line.kind,
            "channel": channel(line.unit),
            "group": line.group,
            "split": split,
        }
        out.append(
            {
                "id": line.group,
                "text": line.text,
                **base,
                "register": line.register,
                "origin": "hand",
                "rule": None,
            }
        )
        for number, (rule, text) in enumerate(
            variants(line.text, line.group, wanted[line.kind]), 1
        ):
            if text in seen:
                continue
            seen.add(text)
            out.append(
                {
                    "id": f"{line.group}-v{number}",
                    "text": text,
                    **base,
                    "register": RULE_REGISTER[rule] or line.register,
                    "origin": "variant",
                    "rule": rule,
                }
            )
    return out


def stats(rows: list[dict[str, object]]) -> dict[str, Any]:
    def count(key: str, subset: list[dict[str, object]] | None = None) -> dict[str, int]:
        return dict(
            Counter(str(r[key]) for r in (rows if subset is None else subset)).most_common()
        )

    negatives = [r for r in rows if not r["labels"]]
    per_category = {
        c: {
            "total": sum(c in r["labels"] for r in rows),  # type: ignore[operator]
            "hand": sum(c in r["labels"] and r["origin"] == "hand" for r in rows),  # type: ignore[operator]
            "hard": sum(c in r["labels"] and bool(r["hard"]) for r in rows),  # type: ignore[operator]
        }
        for c in CATEGORIES
    }
    per_author_category: dict[str, dict[str, dict[str, int]]] = {}
    for author in sorted({str(r["author"]) for r in rows}):
        mine = [r for r in rows if r["author"] == author]
        per_author_category[author] = {
            c: {"rows": sum(c in r["labels"] for r in mine),  # type: ignore[operator]
                "hand": sum(c in r["labels"] and r["origin"] == "hand" for r in mine)}  # type: ignore[operator]
            for c in CATEGORIES
        }
        per_author_category[author]["negatives"] = {
            "rows": sum(not r["labels"] for r in mine),
            "hand": sum(not r["labels"] and r["origin"] == "hand" for r in mine),
        }
    return {
        "rows": len(rows),
        "per_category": per_category,
        "per_author_category": per_author_category,
        "negatives": {
            "total": len(negatives),
            "hard": sum(bool(r["hard"]) for r in negatives),
            "hand": sum(r["origin"] == "hand" for r in negatives),
            "by_kind": count("kind", negatives),
        },
        "author": count("author"),
        "origin": count("origin"),
        "rule": count("rule", [r for r in rows if r["origin"] == "variant"]),
        "split": count("split"),
        "register": count("register"),
        "channel": count("channel"),
        "units": len({r["unit"] for r in rows}),
        "unit": count("unit"),
    }


STATS_BEGIN = "<!-- stats:begin (written by tools/build.py) -->"
STATS_END = "<!-- stats:end -->"


def stats_markdown(summary: dict[str, Any]) -> str:
    """The datasheet's count tables, rendered from stats so they cannot drift."""
    out = ["| category | rows | hand lines | hard rows |", "|---|---:|---:|---:|"]
    for category, f in summary["per_category"].items():
        out.append(f"| {category} | {f['total']} | {f['hand']} | {f['hard']} |")
    neg = summary["negatives"]
    out.append(f"| *(none: negatives)* | {neg['total']} | {neg['hand']} | {neg['hard']} |")
    out.append("")
    out.append("| negative kind | rows |")
    out.append("|---|---:|")
    out += [f"| {kind} | {n} |" for kind, n in neg["by_kind"].items()]
    by_author = summary.get("per_author_category")
    if by_author:
        authors = list(by_author)
        out += ["", "| category | " + " | ".join(f"{a} rows (hand)" for a in authors) + " |",
                "|---|" + "---:|" * len(authors)]
        for category in [*summary["per_category"], "negatives"]:
            cells = [f"{by_author[a][category]['rows']} ({by_author[a][category]['hand']})" for a in authors]
            out.append(f"| {category} | " + " | ".join(cells) + " |")
    for title, key in (
        ("author", "author"),
        ("origin", "origin"),
        ("variation rule", "rule"),
        ("split", "split"),
        ("register", "register"),
        ("channel", "channel"),
    ):
        out += ["", f"| {title} | rows |", "|---|---:|"]
        out += [f"| {name} | {n} |" for name, n in summary[key].items()]
    units = summary["unit"]
    out += [
        "",
        f"{summary['units']} units; rows per unit: "
        + ", ".join(f"{name} {n}" for name, n in units.items())
        + ".",
    ]
    return "\n".join(out)


def write_datasheet(summary: dict[str, Any], path: Path) -> None:
    """Replace the stats block of the datasheet, leaving the prose as written."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(STATS_BEGIN)
    _, _, tail = rest.partition(STATS_END)
    block = f"{STATS_BEGIN}\n{stats_markdown(summary)}\n{STATS_END}"
    path.write_text(head + block + tail, encoding="utf-8")


def write(rows: list[dict[str, object]], out_dir: Path) -> None:
    # gzip (the register variants make ~30 MB of text, ~5 compressed), with no time or name in
    # its header, so that a rebuild of the same hand lines writes the same bytes
    for split in ("train", "dev"):
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows if row["split"] == split)
        (out_dir / f"{split}.jsonl.gz").write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    (out_dir / "stats.json").write_text(
        json.dumps(stats(rows), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def main() -> None:
    rows = records(load_hand())
    write(rows, ROOT)
    summary = stats(rows)
    write_datasheet(summary, ROOT / "DATASHEET.md")
    out = [f"{category:13} {figures}" for category, figures in summary["per_category"].items()]
    out.append(f"negatives {summary['negatives']}")
    out.append(f"origin {summary['origin']} split {summary['split']} units {summary['units']}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
