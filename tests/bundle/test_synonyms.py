"""Groups described in the organisation's own words: synonyms map to the canonical type, an unknown
type is kept as `other` with a note, and commands that read a bundle say what they rejected."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from redline.bundle import read_bundle
from redline.errors import ConfigError

PEOPLE = ("person_id,name,unit,post,is_official,external,start_date,end_date\n"
          "P1,张三,县委办,主任,true,false,,\nP2,李四,县委办,科员,true,false,,\nX1,王老板,某公司,,false,true,,\n")
MEMBERS = "group_id,person_id,display_name,joined,left\n" + "".join(
    f"{g},{p},{n},2023-01-01,\n" for g in ("G1", "G2", "G3", "G4", "G5") for p, n in (("P1", "县委办-张三"), ("P2", "县委办-李四")))


def _bundle(tmp_path: Path, types: list[str], extra_members: str = "") -> Path:
    rows = "".join(f"G{i},群{i},{t},P1,true,,false\n" for i, t in enumerate(types, start=1))
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "groups.csv").write_text("group_id,name,type,owner_id,registered,classification,daily_report\n" + rows,
                                         encoding="utf-8")
    (tmp_path / "memberships.csv").write_text(MEMBERS + extra_members, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("given", "canonical"), [
    ("work", "department"), ("工作群", "department"), ("业务群", "department"), (" Department ", "department"),
    ("班子群", "leadership"), ("专班群", "task"), ("联络群", "liaison"), ("家庭群", "social"), ("TASK", "task"),
])
def test_the_organisations_words_map_to_the_type(tmp_path: Path, given: str, canonical: str) -> None:
    read = read_bundle(_bundle(tmp_path, [given]))
    assert read.quarantined == []
    [group] = read.tables.groups.to_pylist()
    assert (group["type"], group.get("type_given")) == (canonical, None)


def test_an_unknown_type_is_kept_as_other_with_a_note(tmp_path: Path) -> None:
    read = read_bundle(_bundle(tmp_path, ["摄影交流", "work"]))
    assert read.quarantined == []
    groups = read.tables.groups.to_pylist()
    assert [(g["type"], g["type_given"]) for g in groups] == [("other", "摄影交流"), ("department", None)]
    assert read.report is not None
    assert any("unknown type kept as 'other'" in n and "摄影交流" in n for n in read.report.notes)


def test_an_organisation_file_adds_and_overrides_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = tmp_path / "org-synonyms.yaml"
    org.write_text("groups.type:\n  social: [摄影交流]\n  task: [work]\n", encoding="utf-8")
    monkeypatch.setenv("REDLINE_SYNONYMS", str(org))
    folder = tmp_path / "b"
    folder.mkdir()
    groups = read_bundle(_bundle(folder, ["摄影交流", "work"])).tables.groups.to_pylist()
    assert [g["type"] for g in groups] == ["social", "task"]


def test_a_bad_organisation_file_names_the_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = tmp_path / "bad.yaml"
    org.write_text("groups.type:\n  clique: [圈子群]\n", encoding="utf-8")
    monkeypatch.setenv("REDLINE_SYNONYMS", str(org))
    folder = tmp_path / "b"
    folder.mkdir()
    with pytest.raises(ConfigError, match="clique"):
        read_bundle(_bundle(folder, ["work"]))


def _audit(bundle: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", "groups", "audit", str(bundle), "--output", str(out), *flags],
                          capture_output=True, text=True, timeout=300, check=False)


def test_groups_audit_says_how_many_rows_it_rejected(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, ["work", "工作群"], extra_members="G1,X1,王老板,not-a-date,\n")
    done = _audit(bundle, tmp_path / "f.jsonl")
    assert done.returncode == 0, done.stderr
    assert "bundle rows rejected: 1 (memberships.csv 1)" in done.stderr
    strict = _audit(bundle, tmp_path / "f.jsonl", "--strict")
    assert strict.returncode == 2
    assert "bundle rows rejected: 1" in strict.stderr


def test_groups_audit_reads_groups_typed_in_the_organisations_words(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, ["work", "业务群", "工作群", "work", "work"])
    done = _audit(bundle, tmp_path / "f.jsonl", "--strict")
    assert done.returncode == 0, done.stderr
    assert "bundle rows rejected: 0" in done.stderr
