"""Leads on text that breaks no rule, measured as a user runs it: `redline screen --packs all`.

Ordinary chat: COLD label 0, qq_group_ads label 0, weibo_ner (read from /work/shared/datasets,
never copied). Official prose: `data/official-prose/*.txt`, one sentence a line. For each
set, the share of messages with a lead (all categories, and gifts / gambling / secrets /
vote_buying), per category counts, and how many messages hold 上分-style game slang and a
gambling lead. `python -m bench.precision_negatives [--only NAME] [--show CATEGORY|all] [--holdout]`;
`--conduct train|dev [--show leads|miss|KIND]` scores the conduct corpus (recall per category,
negatives with a lead per kind, and the rules/detectors that raise them)
(`--holdout` adds `data/official-prose/holdout.txt`: run it once, at the end of a piece of work).
`--authors w1,w2,w3 [--show leads|miss|KIND]` scores the independent authors' hand lines in
`data/conduct/authors/` (per author: rules-alone recall per category, and negatives with a lead
per kind split by source, the rules and detectors vs the classifiers clf.*). Tune on w1–w3;
w4 and w5 are held out (run them once before and once after a piece of work).
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from redline.training.conduct_data import NON_WORK_UNITS, corpus_records

DATASETS = Path("/work/shared/datasets")
PROSE = Path(__file__).resolve().parent.parent / "data" / "official-prose"
AUTHORS = PROSE.parent / "conduct" / "authors"
WATCHED = ("gifts", "gambling", "secrets", "vote_buying")
SLANG = ("上分", "开黑", "代打", "上王者", "掉分")



def chat_texts() -> dict[str, list[str]]:
    """The ordinary-chat sets: texts that break no rule."""
    sets: dict[str, list[str]] = {}
    for name, keep in (("cold", lambda r: r["label"] == 0), ("qq_group_ads", lambda r: r["label"] == 0),
                       ("weibo_ner", lambda r: True)):
        rows = [json.loads(line) for line in (DATASETS / name / "train.jsonl").open(encoding="utf-8")]
        sets[name] = [r["text"] for r in rows if keep(r)]
    return sets


def prose_texts(holdout: bool) -> dict[str, list[str]]:
    """The official-prose sets, one file each; the held-out file only when asked for."""
    return {
        f"prose/{p.stem}": [s for s in p.read_text(encoding="utf-8").splitlines() if s.strip() and not s.startswith("#")]
        for p in sorted(PROSE.glob("*.txt"))
        if holdout or p.stem != "holdout"
    }


def screen(texts: list[str], group_types: list[str | None] | None = None) -> list[dict[str, object]]:
    """Findings of `redline screen --packs all` over the texts (ids are line numbers); a group
    type, where given, says where the message was posted."""
    kinds = group_types or [None] * len(texts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps({"id": str(i), "text": t, **({"group_type": g} if g else {})},
                                          ensure_ascii=False) + "\n"
                               for i, (t, g) in enumerate(zip(texts, kinds, strict=True))), encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        subprocess.run([sys.executable, "-m", "redline", "screen", "-i", str(src), "-o", str(out), "--packs", "all"],
                       check=True, capture_output=True)
        return [json.loads(line) for line in out.open(encoding="utf-8")]


def measure(texts: list[str], show: str | None) -> dict[str, object]:
    findings = screen(texts)
    by_cat: dict[str, set[int]] = collections.defaultdict(set)
    for f in findings:
        by_cat[str(f["category"])].add(int(str(f["message_id"])))
    led = set().union(*by_cat.values()) if by_cat else set()
    watched = set().union(*(by_cat.get(c, set()) for c in WATCHED))
    slang = {i for i, t in enumerate(texts) if any(s in t for s in SLANG)}
    if show:
        for f in findings:
            if show in (f["category"], "all"):
                i = int(str(f["message_id"]))
                print(f"  [{f['category']}/{f['rule_id']}/{f['detector']}] {f['evidence']!r}: {texts[i][:90]}")
    return {
        "messages": len(texts),
        "with_lead": len(led),
        "share_with_lead": round(len(led) / max(len(texts), 1), 5),
        "with_watched_lead": len(watched),
        "share_watched": round(len(watched) / max(len(texts), 1), 5),
        "slang_messages": len(slang),
        "slang_with_gambling_lead": len(slang & by_cat.get("gambling", set())),
        "by_category": {c: len(v) for c, v in sorted(by_cat.items())},
    }


def frames_dev(show: bool) -> dict[str, object]:
    """Recall per category and leads on hard negatives over data/frames-dev/dev.jsonl."""
    path = PROSE.parent / "frames-dev" / "dev.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    findings = screen([r["text"] for r in rows])
    cats: dict[int, set[str]] = collections.defaultdict(set)
    for f in findings:
        cats[int(str(f["message_id"]))].add(str(f["category"]))
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    negatives = [i for i, r in enumerate(rows) if r["kind"] != "violation"]
    for i, r in enumerate(rows):
        if r["kind"] == "violation":
            per[r["category"]][0] += 1
            per[r["category"]][1] += r["category"] in cats[i]
            if show and r["category"] not in cats[i]:
                print(f"  MISS [{r['category']}] {r['text']}")
        elif show and cats[i]:
            print(f"  LEAD {sorted(cats[i])} {r['text']}")
    return {
        "recall": {c: f"{hit}/{n}" for c, (n, hit) in sorted(per.items())},
        "negatives": len(negatives),
        "negatives_with_lead": sum(1 for i in negatives if cats[i]),
    }


def conduct_split(split: str, show: str | None) -> dict[str, object]:
    """Per-category recall on the violations and the share of negatives with any lead per
    `kind`, over the corpus's `split` file (train: tune freely; dev: measure)."""
    rows = list(corpus_records(PROSE.parent / "conduct", split))
    findings = screen([r["text"] for r in rows])
    cats: dict[int, set[str]] = collections.defaultdict(set)
    why: dict[int, list[str]] = collections.defaultdict(list)
    for f in findings:
        i = int(str(f["message_id"]))
        cats[i].add(str(f["category"]))
        why[i].append(f"{f['category']}/{f['rule_id']}/{f['detector']}:{f['evidence']!r}")
    recall: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    kinds: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    causes: collections.Counter[str] = collections.Counter()
    for i, r in enumerate(rows):
        if r["labels"]:
            for c in r["labels"]:
                recall[c][0] += 1
                recall[c][1] += c in cats[i]
                if show == "miss" and c not in cats[i]:
                    print(f"  MISS [{c}] {r['text'][:90]}")
            continue
        kinds[r["kind"]][0] += 1
        kinds[r["kind"]][1] += bool(cats[i])
        for w in why[i]:
            causes[w.split(":")[0]] += 1
            if show in ("leads", r["kind"]):
                print(f"  LEAD <{r['kind']}> [{w}] {r['text'][:90]}")
    negatives = sum(n for n, _ in kinds.values())
    led = sum(k for _, k in kinds.values())
    macro = sum(hit / n for n, hit in recall.values()) / max(len(recall), 1)
    return {
        "recall": {c: round(hit / n, 3) for c, (n, hit) in sorted(recall.items())},
        "macro_recall": round(macro, 4),
        "negatives": negatives,
        "negatives_with_lead": led,
        "share_negatives_with_lead": round(led / max(negatives, 1), 4),
        "kinds": {k: f"{hit}/{n}" for k, (n, hit) in sorted(kinds.items())},
        "lead_causes": dict(causes.most_common(25)),
    }


def author_lines(author: str) -> list[dict[str, object]]:
    """One author's lines: `<category>.txt` violations (labels: the category, plus a `|+other`
    field), `neg_<kind>.txt` negatives; `unit|register|text[|+label]` after a `# ` header."""
    rows: list[dict[str, object]] = []
    for path in sorted((AUTHORS / author).glob("*.txt")):
        negative = path.stem.startswith("neg_")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("|")
            extra = [f[1:] for f in fields[3:] if f.startswith("+")]
            rows.append({
                "author": author, "text": fields[2], "unit": fields[0],
                "kind": path.stem[4:] if negative else "violation",
                "labels": [] if negative else [path.stem, *extra],
            })
    return rows


def _is_model(finding: dict[str, object]) -> bool:
    return str(finding["detector"]).startswith("clf.")


def authors_split(authors: list[str], show: str | None) -> dict[str, object]:
    """Per author: recall per category of the rules alone (every detector but clf.*) and of the
    full screen; per negative kind, negatives with any lead, with a rules lead, with a model lead."""
    rows = [r for a in authors for r in author_lines(a)]
    # a line from a family or hobby unit was posted in such a group, and `redline screen` is
    # told so (group_type), as a deployment that knows its groups would be
    findings = screen([str(r["text"]) for r in rows],
                      ["social" if r["unit"] in NON_WORK_UNITS else None for r in rows])
    rule_cats: dict[int, set[str]] = collections.defaultdict(set)
    model_cats: dict[int, set[str]] = collections.defaultdict(set)
    why: dict[int, list[str]] = collections.defaultdict(list)
    for f in findings:
        i = int(str(f["message_id"]))
        (model_cats if _is_model(f) else rule_cats)[i].add(str(f["category"]))
        if not _is_model(f):
            why[i].append(f"{f['category']}/{f['rule_id']}/{f['detector']}:{f['evidence']!r}")
    out: dict[str, object] = {}
    for author in [*authors, "all"]:
        mine = [(i, r) for i, r in enumerate(rows) if author in ("all", r["author"])]
        recall: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
        kinds: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
        causes: collections.Counter[str] = collections.Counter()
        for i, r in mine:
            labels = [str(c) for c in r["labels"]]  # type: ignore[attr-defined]
            for c in labels:
                recall[c][0] += 1
                recall[c][1] += c in rule_cats[i]
                recall[c][2] += c in rule_cats[i] | model_cats[i]
                if show == "miss" and author != "all" and c not in rule_cats[i]:
                    print(f"  MISS {author} [{c}] {str(r['text'])[:90]}")
            if labels:
                continue
            k = kinds[str(r["kind"])]
            k[0] += 1
            k[1] += bool(rule_cats[i] | model_cats[i])
            k[2] += bool(rule_cats[i])
            k[3] += bool(model_cats[i])
            for w in why[i]:
                if author == "all":
                    causes[w.split(":")[0].split("/")[2]] += 1
                elif show in ("leads", r["kind"]):
                    print(f"  LEAD {author} <{r['kind']}> [{w}] {str(r['text'])[:90]}")
        n = sum(k[0] for k in kinds.values())
        out[author] = {
            "rules_recall": {c: round(v[1] / v[0], 3) for c, v in sorted(recall.items())},
            "full_recall": {c: round(v[2] / v[0], 3) for c, v in sorted(recall.items())},
            "rules_macro_recall": round(sum(v[1] / v[0] for v in recall.values()) / max(len(recall), 1), 4),
            "full_macro_recall": round(sum(v[2] / v[0] for v in recall.values()) / max(len(recall), 1), 4),
            "negatives": n,
            "share_any_lead": round(sum(k[1] for k in kinds.values()) / max(n, 1), 4),
            "share_rules_lead": round(sum(k[2] for k in kinds.values()) / max(n, 1), 4),
            "share_model_lead": round(sum(k[3] for k in kinds.values()) / max(n, 1), 4),
            "kinds_any/rules/model": {kk: f"{v[1]}/{v[2]}/{v[3]} of {v[0]}" for kk, v in sorted(kinds.items())},
            **({"rules_lead_detectors": dict(causes.most_common())} if author == "all" else {}),
        }
    return out


def main(argv: list[str]) -> int:
    if "--authors" in argv:
        authors = argv[argv.index("--authors") + 1].split(",")
        show = argv[argv.index("--show") + 1] if "--show" in argv else None
        print(json.dumps(authors_split(authors, show), ensure_ascii=False, indent=1))
        return 0
    if "--conduct" in argv:
        split = argv[argv.index("--conduct") + 1]
        show = argv[argv.index("--show") + 1] if "--show" in argv else None
        print(json.dumps(conduct_split(split, show), ensure_ascii=False, indent=1))
        return 0
    if "--frames-dev" in argv:
        print(json.dumps(frames_dev("--show" in argv), ensure_ascii=False, indent=1))
        return 0
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    sets = {**chat_texts(), **prose_texts("--holdout" in argv)}
    out = {name: measure(texts, show) for name, texts in sets.items() if only is None or only in name}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
