"""The spool folder as a source: positions committed with the rows, exact resumption, idempotence."""

from __future__ import annotations

import os
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import Engine, func, select
from tests.pipeline.wecom_lines import ORDINARY, line

from redline.pipeline.positions import read_positions
from redline.pipeline.spool import Spool, is_appended
from redline.store import make_engine, migrate
from redline.store.tables.messages import Message


def _ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Message.id)).scalars())


def _lines(n: int, start: int = 0) -> str:
    return "".join(line(f"m{i:04d}", ORDINARY[i % len(ORDINARY)], n=i) for i in range(start, start + n))


def test_a_half_written_line_waits_for_its_end(db_url: str, tmp_path: Path) -> None:
    engine = migrate(make_engine(db_url))
    (tmp_path / "spool").mkdir()
    archive = tmp_path / "spool" / "a.jsonl"
    whole = _lines(3)
    cut = whole.encode().rindex(b"\n", 0, len(whole.encode()) - 1) + 20  # inside the third line
    archive.write_bytes(whole.encode()[:cut])
    spool = Spool(tmp_path / "spool")
    assert sum(x.rows for x in spool.pull(engine).loaded) == 2
    assert _ids(engine) == ["m0000", "m0001"]
    [(_, position)] = [(k, v.position) for k, v in read_positions(engine, spool.prefix).items()]
    assert position == whole.encode().rindex(b"\n", 0, len(whole.encode()) - 1) + 1
    assert spool.pull(engine).loaded == []  # nothing complete yet
    archive.write_bytes(whole.encode())
    assert sum(x.rows for x in spool.pull(engine).loaded) == 1
    assert _ids(engine) == ["m0000", "m0001", "m0002"]
    engine.dispose()


def test_a_restart_resumes_where_it_stopped_and_repeats_nothing(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    (tmp_path / "spool").mkdir()
    archive = tmp_path / "spool" / "a.jsonl"
    archive.write_text(_lines(10), encoding="utf-8")
    assert sum(x.rows for x in Spool(tmp_path / "spool").pull(engine).loaded) == 10
    # a new process: its own Spool, the positions from the database
    with archive.open("a", encoding="utf-8") as handle:
        handle.write(_lines(5, start=10) + line("m0003", ORDINARY[0], n=3))  # m0003 again, as a puller may send it
    pulled = Spool(tmp_path / "spool").pull(engine)
    assert sum(x.rows for x in pulled.loaded) == 6
    assert _ids(engine) == [f"m{i:04d}" for i in range(15)]
    engine.dispose()


def test_a_replaced_file_is_read_from_its_start(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    (tmp_path / "spool").mkdir()
    archive = tmp_path / "spool" / "a.jsonl"
    archive.write_text(_lines(10), encoding="utf-8")
    spool = Spool(tmp_path / "spool")
    spool.pull(engine)
    # rotated: a new, shorter file under the same name (another inode)
    fresh = tmp_path / "spool" / "b.tmp"
    fresh.write_text(_lines(2, start=50), encoding="utf-8")
    fresh.replace(archive)
    spool.pull(engine)
    assert _ids(engine)[-2:] == ["m0050", "m0051"]
    engine.dispose()


def test_hidden_and_half_transferred_files_are_left_alone(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    spool_dir = tmp_path / "spool"
    (spool_dir / ".incoming").mkdir(parents=True)
    (spool_dir / ".incoming" / "a.jsonl").write_text(_lines(2), encoding="utf-8")
    (spool_dir / "b.jsonl.part").write_text(_lines(2, start=5), encoding="utf-8")
    assert Spool(spool_dir).pull(engine).loaded == []
    assert _ids(engine) == []
    engine.dispose()


def test_a_dropped_file_of_no_known_format_is_noted_once_not_retried(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    notes = spool_dir / "notes.txt"
    notes.write_text("会议纪要\n第二行\n", encoding="utf-8")
    old = time.time() - 60
    os.utime(notes, (old, old))
    spool = Spool(spool_dir, settle=1.0)
    first = spool.pull(engine)
    assert first.errors == []
    assert [x.rows for x in first.loaded] == [0]
    assert list(spool.chunks(engine)) == []  # its position is the file's size: not read again


def test_a_dropped_file_waits_until_it_has_settled(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    (spool_dir / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    assert list(Spool(spool_dir, settle=30.0).chunks(engine)) == []
    assert len(list(Spool(spool_dir, settle=0.0).chunks(engine))) == 1


def test_archive_lines_are_recognised_as_appended_whatever_the_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text(_lines(1), encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    assert is_appended(tmp_path / "a.log")
    assert not is_appended(tmp_path / "b.csv")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=4))
def test_however_the_writes_are_split_every_line_lands_once(tmp_path: Path, cuts: list[int]) -> None:
    run = tmp_path / f"run-{time.monotonic_ns()}"
    (run / "spool").mkdir(parents=True)
    engine = migrate(make_engine(f"sqlite:///{run / 'r.db'}"))
    data = _lines(12).encode()
    points = sorted({min(c, len(data)) for c in cuts} | {len(data)})
    archive = run / "spool" / "a.jsonl"
    archive.touch()
    written = 0
    for point in points:
        with archive.open("ab") as handle:
            handle.write(data[written:point])
        written = point
        Spool(run / "spool").pull(engine)
    assert _ids(engine) == [f"m{i:04d}" for i in range(12)]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Message)).scalar_one() == 12
    engine.dispose()


def test_a_file_created_empty_and_then_appended_to_is_read_as_lines(tmp_path: Path) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    archive = spool_dir / "archive.log"  # no telling suffix: the first line decides
    archive.touch()
    spool = Spool(spool_dir, settle=0.0)
    assert spool.pull(engine).loaded == []
    archive.write_text(_lines(2), encoding="utf-8")
    assert sum(x.rows for x in spool.pull(engine).loaded) == 2
    with archive.open("a", encoding="utf-8") as handle:
        handle.write(_lines(1, start=2))
    [loaded] = spool.pull(engine).loaded
    assert loaded.rows == 1  # only the new line: read as lines, not the whole file again
    engine.dispose()
