"""Evidence packages: an export verifies; one changed byte, a removed file or an edited manifest
line fails naming the file; third parties are redacted on request; the export is audited."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.cases.conftest import INV

from redline.cases.package import MANIFEST, SIGNATURE, export_package
from redline.cases.signing import load_or_create, public_hex
from redline.cases.verify import verify_package
from redline.errors import ConfigError
from redline.review import audit_log
from redline.review.identity import reveal
from redline.review.sample import MOBILE, RESIDENT_ID
from redline.store.tables.audit import AuditEntry
from redline.store.tables.org import Person

KEY = b"pseudonym-key"


def _export(engine: Engine, case_id: int, tmp_path: Path, *, redact: bool = False) -> tuple[Path, SigningKey]:
    key = load_or_create(tmp_path / "keys" / "signing.key")
    out = tmp_path / "pkg.zip"
    export_package(engine, case_id, out, key, KEY, redact_third_parties=redact)
    return out, key


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    """Copy a zip, replacing (bytes) or dropping (None) the members named in `change`."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)


def test_an_exported_package_holds_the_case_and_verifies(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    reveal(engine, INV, "p-zhangwei", "谈话前核实身份")
    package, key = _export(engine, case_id, tmp_path)
    result = verify_package(package, public_hex(key))
    assert (result.ok, result.file, result.case) == (True, "", case_id)
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist())
        messages = [json.loads(line) for line in archive.read("originals/messages.jsonl").splitlines()]
        payments = [json.loads(line) for line in archive.read("originals/payments.jsonl").splitlines()]
        custody = [json.loads(line) for line in archive.read("custody.jsonl").splitlines()]
    # 7 files under the manifest: docx, xlsx, three originals, custody (no file findings in the sample)
    assert names == {"report.docx", "evidence.xlsx", "originals/messages.jsonl", "originals/payments.jsonl",
                     "originals/findings.jsonl", "custody.jsonl", MANIFEST, SIGNATURE}
    assert len(manifest["files"]) == result.checked == 6
    # the findings name dm-01 and g1-15 (messages) and pay-03 with its related pay-01..pay-05
    assert [m["id"] for m in messages] == ["dm-01", "g1-15"]
    assert [p["payment_id"] for p in payments] == [f"pay-{i:02d}" for i in range(1, 6)]
    assert manifest["counts"] == {"findings": 3, "messages": 2, "payments": 5, "files": 0, "custody": len(custody)}
    # originals are original: the ID number stays unless redaction was asked for
    assert RESIDENT_ID in messages[1]["text"]
    assert manifest["redacted_third_parties"] is False
    actions = [c["action"] for c in custody]
    # escalate (alert.escalate on the first alert), disposition, note, the reveal of the person
    assert actions == ["alert.escalate", "case.disposition", "case.note", "identity.reveal"]
    with Session(engine) as session:  # each custody entry is the chain's entry of that number
        stored = {e.seq: e.hash for e in session.scalars(select(AuditEntry))}
    assert all(stored[c["seq"]] == c["hash"] for c in custody)
    last = audit_log.verify(engine)
    assert last.ok
    with Session(engine) as session:
        export_entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert export_entry is not None
    assert (export_entry.action, export_entry.target) == (
        "case.export.package", f"case:{case_id}")


@pytest.mark.parametrize("member", ["report.docx", "originals/messages.jsonl", "custody.jsonl"])
def test_one_changed_byte_names_the_file(case_store: tuple[Engine, int], tmp_path: Path, member: str) -> None:
    engine, case_id = case_store
    package, _ = _export(engine, case_id, tmp_path)
    with zipfile.ZipFile(package) as archive:
        data = bytearray(archive.read(member))
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.zip"
    _rewrite(package, tampered, {member: bytes(data)})
    result = verify_package(tampered)
    assert (result.ok, result.file, result.problem) == (False, member, "SHA-256 differs from the manifest")


def test_a_flipped_byte_inside_the_zip_names_the_file(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    package, _ = _export(engine, case_id, tmp_path)
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo("originals/payments.jsonl")
    raw = bytearray(package.read_bytes())
    # the member's data starts after its 30-byte local header, name and extra field
    name_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    raw[info.header_offset + 30 + name_len + extra_len + info.compress_size // 2] ^= 0x40
    package.write_bytes(bytes(raw))
    result = verify_package(package)
    assert (result.ok, result.file) == (False, "originals/payments.jsonl")


def test_a_removed_file_is_named(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    package, _ = _export(engine, case_id, tmp_path)
    tampered = tmp_path / "removed.zip"
    _rewrite(package, tampered, {"evidence.xlsx": None})
    result = verify_package(tampered)
    assert (result.ok, result.file, result.problem) == (False, "evidence.xlsx", "listed in the manifest but missing")


def test_an_edited_manifest_line_fails_on_the_manifest(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    package, _ = _export(engine, case_id, tmp_path)
    with zipfile.ZipFile(package) as archive:
        lines = archive.read(MANIFEST).decode().splitlines(keepends=True)
    # someone "fixes" the digest of the messages to match a file they changed
    at = next(i for i, line in enumerate(lines) if '"sha256"' in line)
    lines[at] = '      "sha256": "' + "0" * 64 + '",\n'
    tampered = tmp_path / "edited.zip"
    _rewrite(package, tampered, {MANIFEST: "".join(lines).encode()})
    result = verify_package(tampered)
    assert (result.ok, result.file) == (False, MANIFEST)
    assert "signature does not match" in result.problem


def test_an_added_file_and_another_signer_are_caught(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    package, _ = _export(engine, case_id, tmp_path)
    extra = tmp_path / "extra.zip"
    _rewrite(package, extra, {})
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("files/planted.txt", b"not collected")
    assert (verify_package(extra).file, verify_package(extra).problem) == (
        "files/planted.txt", "in the package but not in the manifest")
    other = public_hex(SigningKey.generate())
    result = verify_package(package, other)
    assert (result.ok, result.file, result.problem) == (False, MANIFEST, "signed by another key than the one given")


def test_redacting_third_parties_keeps_the_subject(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    with Session(engine) as session, session.begin():  # the roster knows 张伟's own mobile
        person = session.get(Person, "p-zhangwei")
        assert person is not None
        person.extra = {"mobile": MOBILE}
    package, _ = _export(engine, case_id, tmp_path, redact=True)
    assert verify_package(package).ok
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        messages = {m["id"]: m for m in map(json.loads, archive.read("originals/messages.jsonl").splitlines())}
        payments = [json.loads(line) for line in archive.read("originals/payments.jsonl").splitlines()]
    assert manifest["redacted_third_parties"] is True
    assert "Third parties" in manifest["redaction"]
    assert manifest["subject"] == "p-zhangwei"
    # the ID number is not on the roster as his: masked; his mobile is: kept; his name stays
    text = messages["g1-15"]["text"]
    assert RESIDENT_ID not in text
    assert MOBILE in text
    assert "张伟" in text
    # the managed party 王建国 (b-wanglaoban) is a third party: his id and name are pseudonyms
    assert "王建国" not in messages["dm-01"]["text"] + messages["dm-01"]["sender"]
    assert messages["dm-01"]["sender"].startswith("人员-")
    assert {p["payee"] for p in payments} == {"p-zhangwei"}
    assert all(p["payer"].startswith("人员-") for p in payments)


def test_the_signing_key_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "k" / "signing.key"
    first = load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_hex(load_or_create(path)) == public_hex(first)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_or_create(path)


def test_cli_export_then_verify_and_exit_2_on_tampering(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case_store
    url = str(engine.url)
    env = {**os.environ, "REDLINE_SIGNING_KEY": str(tmp_path / "instance.key"), "PYTHONPATH": "src"}
    package = tmp_path / "case.zip"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "redline", "evidence", *args], capture_output=True, text=True,
                              timeout=180, check=False, env=env)

    made = run("export", str(case_id), "--db", url, "--output", str(package))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE((tmp_path / "instance.key").stat().st_mode) == 0o600
    ok = run("verify", str(package))
    assert (ok.returncode, ok.stdout.strip()) == (0, f"OK: case {case_id}, 6 files match the signed manifest")
    _rewrite(package, tmp_path / "bad.zip", {"originals/findings.jsonl": None})
    bad = run("verify", str(tmp_path / "bad.zip"))
    assert (bad.returncode, bad.stdout.strip()) == (
        2, "FAILED: originals/findings.jsonl: listed in the manifest but missing")
