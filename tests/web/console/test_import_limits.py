"""Issue 15 item 3: a zip bomb uploaded to the console's bundle import is refused before it is
unpacked (413), the server's memory does not grow by the bomb's size, and the uploads over
the limits of the importers' archive reader (count, size, ratio) are refused the same way."""

from __future__ import annotations

import resource
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from redline.bundle.archive_limits import MAX_RATIO
from redline.bundle.read import read_bundle
from redline.errors import TooLarge

from fastapi.testclient import TestClient  # isort: skip

PEOPLE = "person_id,name,unit,post,is_official\np1,张三,县委办,科员,true\n"
MiB = 1024 * 1024


def _bomb(path: Path, member_mib: int) -> Path:
    """people.csv and a messages.jsonl of `member_mib` MiB of blanks, deflated about a thousandfold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("people.csv", PEOPLE)
        block = b" " * MiB
        with archive.open("messages.jsonl", "w", force_zip64=True) as member:
            for _ in range(member_mib):
                member.write(block)
    return path


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def test_a_zip_bomb_upload_is_refused_without_unpacking(login: Callable[[str], tuple[TestClient, str]],
                                                        tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.zip", 1024)
    assert bomb.stat().st_size < 2 * MiB
    client, csrf = login("admin")
    before = _peak_mib()
    with bomb.open("rb") as handle:
        answer = client.post("/import", data={"csrf_token": csrf}, files={"bundle": ("bomb.zip", handle, "application/zip")})
    assert answer.status_code == 413, answer.text[:300]
    assert _peak_mib() - before < 200  # before the fix the whole GiB was read into memory


@pytest.mark.parametrize(("name", "make"), [
    ("ratio", lambda p: _bomb(p, 64)),
    ("count", lambda p: _many(p, 20)),
])
def test_the_bundle_reader_has_the_archive_limits(tmp_path: Path, name: str, make: Callable[[Path], Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import redline.bundle.archive_limits as limits

    monkeypatch.setattr(limits, "MAX_MEMBERS", 10)
    path = make(tmp_path / f"{name}.zip")
    with pytest.raises(TooLarge, match={"ratio": f"ratio above {MAX_RATIO}", "count": "holds 21 files"}[name]):
        read_bundle(path)


def _many(path: Path, extra: int) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("people.csv", PEOPLE)
        for i in range(extra):
            archive.writestr(f"notes/{i}.txt", "x")
    return path


def test_a_normal_bundle_zip_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle/people.csv", PEOPLE)
    assert read_bundle(path).tables.people.num_rows == 1
