"""Validate conduct-test-2/test.jsonl: valid JSON, unique ids/texts, counts as promised."""
import json, collections, sys, os
CATS = ["secrets","privacy","rumour","vulgar","promotion","gifts","gambling","superstition",
        "factions","vote_buying","flattery","off_topic","conduct"]
NEG_KINDS = ["notice","rebuttal","case","handling","training","vocab","names","games","prose",
             "refusal","question","legit","work","family"]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test.jsonl")
rows, errs = [], []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    try:
        r = json.loads(line)
    except Exception as e:
        errs.append(f"line {n}: bad JSON {e}"); continue
    if set(r) != {"id","text","labels","hard","kind","note"}:
        errs.append(f"line {n}: keys {sorted(r)}")
    rows.append(r)
ids = collections.Counter(r["id"] for r in rows)
texts = collections.Counter(r["text"] for r in rows)
errs += [f"dup id {k}" for k, v in ids.items() if v > 1]
errs += [f"dup text {k}" for k, v in texts.items() if v > 1]
pos = [r for r in rows if r["labels"]]
neg = [r for r in rows if not r["labels"]]
kinds = collections.Counter(r["kind"] for r in rows)
for r in pos:
    if r["kind"] not in CATS or r["kind"] not in r["labels"]: errs.append(f"{r['id']}: kind/labels")
    if any(l not in CATS for l in r["labels"]): errs.append(f"{r['id']}: unknown label")
for r in neg:
    if r["kind"] not in NEG_KINDS: errs.append(f"{r['id']}: neg kind {r['kind']}")
    if r["hard"] != (r["kind"] not in ("work","family")): errs.append(f"{r['id']}: neg hard flag")
for c in CATS:
    if kinds[c] != 25: errs.append(f"{c}: {kinds[c]} violations, want 25")
hard_pos = sum(r["hard"] for r in pos); hard_neg = sum(r["hard"] for r in neg)
if len(rows) != 600: errs.append(f"{len(rows)} rows, want 600")
if len(pos) != 325 or len(neg) != 275: errs.append(f"pos {len(pos)} neg {len(neg)}")
if hard_pos < 0.6 * len(pos): errs.append(f"hard violations {hard_pos} < 60%")
if hard_neg < 160: errs.append(f"hard negatives {hard_neg} < 160")
lab = collections.Counter(l for r in pos for l in r["labels"])
print(f"rows {len(rows)}  violations {len(pos)} (hard {hard_pos})  negatives {len(neg)} (hard {hard_neg})")
print("multi-label rows:", sum(len(r["labels"]) > 1 for r in pos))
print("kind counts:", dict(sorted(kinds.items())))
print("label counts (incl. secondary):", dict(sorted(lab.items())))
for c in CATS:
    print(f"  {c:13s} hard {sum(r['hard'] for r in pos if r['kind']==c)}/25")
if errs:
    print("ERRORS:"); [print(" ", e) for e in errs]; sys.exit(1)
print("OK")
