from __future__ import annotations

from pathlib import Path

from redline.errors import PackError
from redline.rules.overrides import load_overrides, merge_overrides


def test_term_files_flags_and_paths(tmp_path: Path) -> None:
    (tmp_path / "terms.txt").write_text("# 本单位词表\n术语甲|pinyin\n术语乙|pinyon\n", encoding="utf-8")
    path = tmp_path / "org.yaml"
    path.write_text("lexicons:\n  org-political: {file: terms.txt, add: ['术语丙|initials']}\n", encoding="utf-8")
    errors: list[PackError] = []
    ov = load_overrides(path, errors)
    assert [str(e) for e in errors] == [f"{tmp_path / 'terms.txt'}:3:1: unknown term flag 'pinyon' (known: exact, initials, inword, pinyin)"]
    assert ov.added == {"org-political": ("术语丙|initials", "术语甲|pinyin")}
    assert ov.paths == (path, tmp_path / "terms.txt")


def test_missing_term_file_and_schema_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("lexicons:\n  org-political: {file: none.txt}\nrules:\n  TJ-01: {enable: false}\n", encoding="utf-8")
    errors: list[PackError] = []
    load_overrides(path, errors)
    assert [str(e) for e in errors] == [f"{path}:4:11: rules.TJ-01.enable: Extra inputs are not permitted"]
    path.write_text("lexicons:\n  org-political: {file: none.txt}\n", encoding="utf-8")
    errors = []
    load_overrides(path, errors)
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{path}:2:19: lexicons.org-political.file: term file not found")


def test_merge_keeps_the_later_layer_for_the_same_field(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("rules:\n  TJ-06: {severity: low, params: {x: 1}}\n", encoding="utf-8")
    b.write_text("rules:\n  TJ-06: {severity: critical}\n  ZJ-05: {enabled: false}\n", encoding="utf-8")
    errors: list[PackError] = []
    merged = merge_overrides([load_overrides(a, errors), load_overrides(b, errors)])
    assert errors == []
    tj06 = merged.rule("TJ-06")
    zj05 = merged.rule("ZJ-05")
    assert tj06 is not None
    assert zj05 is not None
    assert (tj06.severity, tj06.params, zj05.enabled) == ("critical", {"x": 1}, False)


def test_the_documented_overrides_example_loads(tmp_path: Path) -> None:
    from redline.rules.load import load_packs, shipped_pack_paths

    doc = (Path(__file__).resolve().parents[2] / "docs" / "packs.md").read_text(encoding="utf-8")
    block = doc.split("## Organisation overrides", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "political-terms.txt").write_text("术语甲\n", encoding="utf-8")
    (tmp_path / "org.yaml").write_text(block, encoding="utf-8")
    result = load_packs(shipped_pack_paths(), tmp_path / "org.yaml")
    assert [str(e) for e in result.errors] == []
    assert result.packs.lexicons["org-political"].terms == ("术语甲|org",)
    assert not result.packs.rule("ZJ-05").enabled
