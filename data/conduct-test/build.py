# Serialises the hand-written lines in src/*.txt (labels|note|text) into test.jsonl.
# It writes no text of its own: it only parses, checks, shuffles (fixed seed) and numbers.
import glob, json, random
rows = []
for f in sorted(glob.glob("src/*.txt")):
    for ln in open(f, encoding="utf-8"):
        ln = ln.rstrip("\n")
        if not ln.strip():
            continue
        lab, note, text = ln.split("|")
        if lab in ("H", "-"):
            labels, hard = [], lab == "H"
        else:
            labels, hard = lab.split(","), False
        rows.append({"text": text, "labels": labels, "hard": hard, "note": note})
random.Random(20261207).shuffle(rows)
with open("test.jsonl", "w", encoding="utf-8") as out:
    for i, r in enumerate(rows, 1):
        out.write(json.dumps({"id": f"t{i:04d}", **r}, ensure_ascii=False) + "\n")
print(len(rows))
