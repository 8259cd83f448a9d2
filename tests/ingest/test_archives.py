"""Bills arrive as mailed zips, often password-protected, with GBK member names."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from redline.bundle.archive_limits import MAX_RATIO
from redline.ingest.archives import is_archive
from redline.ingest.run import ingest

PREAMBLE = ["微信支付账单明细", "微信昵称：[某]", "起始时间：[2026-02-01 00:00:00] 终止时间：[2026-02-28 23:59:59]", "",
            "注：", "----------------------微信支付账单明细列表--------------------"]
HEADER = "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"
ROWS = ["2026-02-16 20:01:02,微信红包,王老板,/,收入,¥200.00,/,已存入零钱,1000050001202602160001\t,/\t,/",
        "2026-02-17 09:00:00,转账,李某,/,收入,¥5000.50,/,已收钱,1000050001202602170002\t,/\t,/",
        "not a time,转账,李某,/,收入,¥1.00,/,已收钱,1000050001202602170003\t,/\t,/"]
MEMBER = "微信支付账单(20260201-20260228).csv"


def _bill_bytes() -> bytes:
    return ("\n".join([*PREAMBLE, HEADER, *ROWS]) + "\n").encode("utf-8")


class _GbkName(zipfile.ZipInfo):
    """What Windows' archiver writes on a Chinese system: GBK name bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - the standard library's name
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


def _zip(path: Path, members: dict[str, bytes], *, utf8_names: bool = True) -> Path:
    kind = zipfile.ZipInfo if utf8_names else _GbkName
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = kind(name, date_time=(2026, 3, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def _payments(out: Path) -> list[str]:
    return sorted((out / "payments.csv").read_text(encoding="utf-8").splitlines()[1:])


@pytest.mark.parametrize("utf8_names", [True, False])
def test_zipped_bill_lands_like_the_bill_itself(tmp_path: Path, utf8_names: bool) -> None:
    bill = tmp_path / MEMBER
    bill.write_bytes(_bill_bytes())
    archive = _zip(tmp_path / "bill.zip", {MEMBER: _bill_bytes()}, utf8_names=utf8_names)
    direct = ingest([bill], tmp_path / "direct", owner="p1")
    zipped = ingest([archive], tmp_path / "zipped", owner="p1")
    assert zipped.written == direct.written == {"payments": 2}
    assert _payments(tmp_path / "zipped") == _payments(tmp_path / "direct")
    [entry] = zipped.sources
    assert entry["path"] == str(archive / MEMBER)  # the name the user knows, not a temp path
    quarantine = (tmp_path / "zipped" / "quarantine.jsonl").read_text(encoding="utf-8")
    assert f'"file":"{archive / MEMBER}"' in quarantine.replace(" ", "")
    assert "not a time" in quarantine


def test_ingesting_a_zip_twice_gives_the_same_bundle(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bill.zip", {MEMBER: _bill_bytes()})
    ingest([archive], tmp_path / "out", owner="p1")
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.suffix in (".csv", ".jsonl")}
    ingest([archive], tmp_path / "out", owner="p1")
    second = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.suffix in (".csv", ".jsonl")}
    assert first == second
    assert "payments.csv" in first


def test_bomb_member_is_refused_and_the_rest_still_lands(tmp_path: Path) -> None:
    good = _zip(tmp_path / "good.zip", {MEMBER: _bill_bytes()})
    bomb = _zip(tmp_path / "bomb.zip", {"zeros.csv": b"0" * (MAX_RATIO * 2000)})
    report = ingest([bomb, good], tmp_path / "out", owner="p1")
    assert report.written == {"payments": 2}
    [failure] = report.failed
    assert "bomb.zip" in failure
    assert "zip bomb" in failure


def test_member_names_cannot_climb_out(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"../../escaped.csv": _bill_bytes()})
    report = ingest([archive], tmp_path / "deep" / "out", owner="p1")
    assert report.written == {"payments": 2}
    assert not (tmp_path / "escaped.csv").exists()
    assert not (tmp_path / "deep" / "escaped.csv").exists()


def test_unrecognised_members_are_skipped_not_failed(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "mixed.zip", {MEMBER: _bill_bytes(), "说明.txt": "请妥善保管".encode()})
    report = ingest([archive], tmp_path / "out", owner="p1")
    assert report.failed == []
    assert {"path": str(archive / "说明.txt"), "format": None, "skipped": "format not recognised"} in report.sources


def test_a_workbook_is_not_an_archive(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["交易时间"])
    book.save(tmp_path / "bill.xlsx")
    assert not is_archive(tmp_path / "bill.xlsx")
    assert is_archive(_zip(tmp_path / "a.zip", {"a.csv": b"x"}))
    (tmp_path / "plain.csv").write_bytes(_bill_bytes())
    assert not is_archive(tmp_path / "plain.csv")


ZIP = shutil.which("zip")


@pytest.mark.skipif(ZIP is None, reason="Debian's zip makes the encrypted archive; make test installs it")
def test_password_protected_zip(tmp_path: Path) -> None:
    (tmp_path / MEMBER).write_bytes(_bill_bytes())
    archive = tmp_path / "mailed.zip"
    assert ZIP is not None
    subprocess.run([ZIP, "-q", "-P", "483921", str(archive), MEMBER], cwd=tmp_path, check=True)

    without = ingest([archive], tmp_path / "a", owner="p1")
    assert without.written == {}
    assert "password-protected" in without.failed[0]
    assert "--zip-password" in without.failed[0]

    wrong = ingest([archive], tmp_path / "b", owner="p1", zip_password="000000")
    assert wrong.written == {}
    assert "password" in wrong.failed[0]

    right = ingest([archive], tmp_path / "c", owner="p1", zip_password="483921")
    assert right.failed == []
    assert right.written == {"payments": 2}
