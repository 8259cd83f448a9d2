"""Analyzers state facts; only `redline.reasons` writes sentences. The rule, read off the source.

Under `payments/` and `groups/` no call passes `reason=` or `reason_en=` a sentence built in
place (an f-string, a literal, a concatenation), and no f-string carries Chinese text (a
sentence put together in a variable first). Charts and labels that are not reasons are
listed below by module, so a new exception is a decision, not an accident.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import redline

SRC = Path(redline.__file__).parent
MODULES = sorted(p for pkg in ("payments", "groups") for p in (SRC / pkg).glob("*.py"))
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
# Chinese f-strings that are not finding reasons: the counterparty chart's labels and title.
NOT_REASONS = {"payments/graph.py"}


def _built(node: ast.expr) -> bool:
    """A sentence made here: f-string, string literal, or an expression joining them."""
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return True
    return isinstance(node, ast.BinOp) and (_built(node.left) or _built(node.right))


def _offences(source: str, chinese_fstrings: bool) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg in ("reason", "reason_en") and _built(node.value):
            out.append(f"line {node.value.lineno}: {node.arg}= is written in place")
        if chinese_fstrings and isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if CJK.search(text):
                out.append(f"line {node.lineno}: a Chinese f-string {text[:30]!r}")
    return out


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_no_analyzer_module_writes_a_reason(path: Path) -> None:
    rel = str(path.relative_to(SRC))
    assert _offences(path.read_text(encoding="utf-8"), rel not in NOT_REASONS) == []


@pytest.mark.parametrize("source", [
    'Finding(reason=f"{who}在群中")',
    'Lead(reason_en="A large sum" + tail)',
    'zh = f"{p} 收到 {x} 的红包"',
], ids=["fstring", "concatenation", "chinese-variable"])
def test_the_guard_catches_a_sentence_written_in_place(source: str) -> None:
    assert _offences(source, chinese_fstrings=True)


def test_the_guard_lets_a_rendered_reason_through() -> None:
    assert _offences('reason, reason_en = render(key, facts)\nFinding(reason=reason, reason_en=reason_en)', True) == []
