from __future__ import annotations

from pathlib import Path

from redline.errors import PackError
from redline.rules.lexicons import SHIPPED_DIR, Lexicon, load_lexicons, merge_terms, parse_lexicon


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_terms_flags_comments_and_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "demo.txt", "# title: 示例\n# a comment\n红包|pinyin|initials\n\n 购物卡 \n")
    errors: list[PackError] = []
    lex = parse_lexicon(path, errors)
    assert errors == []
    assert (lex.name, lex.title, lex.terms, lex.org_supplied) == ("demo", "示例", ("红包|pinyin|initials", "购物卡"), False)
    assert lex.bare_terms == ("红包", "购物卡")


def test_bad_flag_and_duplicate_are_reported_with_their_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "demo.txt", "红包\n礼券|pinyon\n红包|pinyin\n")
    errors: list[PackError] = []
    lex = parse_lexicon(path, errors)
    assert lex.terms == ("红包",)
    assert [str(e) for e in errors] == [
        f"{path}:2:1: unknown term flag 'pinyon' (known: exact, initials, inword, pinyin)",
        f"{path}:3:1: duplicate term '红包' (first on line 1)",
    ]


def test_org_supplied_list_must_ship_empty(tmp_path: Path) -> None:
    path = _write(tmp_path, "org-x.txt", "# org_supplied: true\n某词\n")
    errors: list[PackError] = []
    lex = parse_lexicon(path, errors)
    assert lex.org_supplied
    assert len(errors) == 1
    assert "ships empty" in errors[0].message


def test_shipped_lexicons_are_clean_and_org_lists_empty() -> None:
    errors: list[PackError] = []
    lexicons = load_lexicons([SHIPPED_DIR], errors)
    assert errors == []
    org = sorted(n for n, lex in lexicons.items() if lex.org_supplied)
    assert org == ["org-central-policy", "org-defamation", "org-ethnic-extremism", "org-improper", "org-political"]
    assert all(not lexicons[n].terms for n in org)
    shipped = [lex for lex in lexicons.values() if not lex.org_supplied]
    assert all(len(lex.terms) >= 10 for lex in shipped), [lex.name for lex in shipped if len(lex.terms) < 10]


def test_merge_adds_removes_and_deduplicates() -> None:
    base = Lexicon("x", ("红包|pinyin", "心意", "礼券"))
    merged = merge_terms(base, add=["茶水费", "红包", "心意"], remove=["心意"])
    assert merged.terms == ("红包|pinyin", "礼券", "茶水费|org")  # an added term is the organisation's
