"""Do two revisions of Redline screen a fixed real sample the same? (issue 20, speed work)

`python -m bench.screen_same [BASE_REF]` (default HEAD) exports BASE_REF's `src/` with
`git archive` into a temporary directory, runs `python -m redline screen --packs all` of
BASE_REF and of this working tree on the same input, and compares the findings:

- the (message, rule, start, end) set — must be equal: speed work must not change what is
  found or where;
- the whole records (detector, label, evidence, severity, reason) — listed when they differ.

The input: 50,000 messages of the conduct bench's `real_mixed_chat` (another seed than the
bench's, so the sample is not the bench's own first rows) and every text of
`data/conduct/dev.jsonl.gz` (work chat, half of it violations). Read from $REDLINE_DATASETS; the
sample is written to the temporary directory only, never into the repository.
Exit status 0 when the sets are equal, 1 otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import orjson

from redline.training.conduct_data import corpus_records

ROOT = Path(__file__).resolve().parent.parent
N_SAMPLE = int(os.environ.get("SCREEN_SAME_N", "50000"))
Key = tuple[str, str, int, int]


def write_sample(path: Path) -> int:
    """The fixed sample as messages.jsonl; returns the number of messages."""
    from bench.bench_conduct import real_mixed_chat

    texts = real_mixed_chat(N_SAMPLE, seed=2026)
    texts += [r["text"] for r in corpus_records(ROOT / "data" / "conduct", "dev")]
    with path.open("wb") as fh:
        for i, text in enumerate(texts):
            fh.write(orjson.dumps({"id": f"s{i}", "text": text}) + b"\n")
    return len(texts)


def screen(src: Path, messages: Path, out: Path) -> dict[Key, dict[str, object]]:
    """Findings of `redline screen --packs all` run from the source tree `src`, by key."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(ROOT)])}
    subprocess.run([sys.executable, "-m", "redline", "screen", "--packs", "all", "-i", str(messages),
                    "-o", str(out)], check=True, env=env, cwd=ROOT)
    found: dict[Key, dict[str, object]] = {}
    for line in out.read_bytes().splitlines():
        rec = orjson.loads(line)
        found[(rec["message_id"], rec["rule_id"], rec["start"], rec["end"])] = rec
    return found


def export_src(ref: str, into: Path) -> Path:
    """`src/` of git revision `ref`, unpacked under `into`."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main(argv: list[str]) -> int:
    ref = argv[0] if argv else "HEAD"
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        messages = tmp / "messages.jsonl"
        n = write_sample(messages)
        base = screen(export_src(ref, tmp / "base"), messages, tmp / "base.jsonl")
        here = screen(ROOT / "src", messages, tmp / "here.jsonl")
    only_base, only_here = sorted(base.keys() - here.keys()), sorted(here.keys() - base.keys())
    changed = sorted(k for k in base.keys() & here.keys() if base[k] != here[k])
    print(f"{n} messages; findings {ref}: {len(base)}, working tree: {len(here)}; "
          f"only in {ref}: {len(only_base)}, only here: {len(only_here)}, same key other fields: {len(changed)}")
    for label, keys, source in (("only in base", only_base, base), ("only here", only_here, here),
                                ("changed", changed, here)):
        for key in keys[:20]:
            print(f"  {label}: {orjson.dumps(source[key]).decode()}")
    return 0 if not only_base and not only_here else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
