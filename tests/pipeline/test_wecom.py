"""`--source wecom:CONFIG.toml` against a stand-in of the finance SDK replaying a recorded archive."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select
from tests.pipeline.wecom_lines import ORDINARY, T0_MS, VIOLATING
from tests.pipeline.wecom_standin import StandInSdk, new_key, seal

from redline.errors import ConfigError
from redline.pipeline.positions import read_positions
from redline.pipeline.wecom import WecomConfig, WecomSource
from redline.store import make_engine, migrate
from redline.store.tables.live import MediaItem
from redline.store.tables.messages import Message

STANDIN = "python:tests.pipeline.wecom_standin:factory"


class Archive:
    """A corporation's recorded archive, its keys and the configuration naming them."""

    def __init__(self, root: Path, versions: tuple[int, ...] = (1, 2), limit: int = 1000) -> None:
        self.root = root
        self.keys = {v: new_key(root / f"v{v}.pem") for v in (1, 2, 3)}
        self.data: dict[str, Any] = {"records": [], "media": {}}
        self.write_config(versions, limit)
        self.save()

    def write_config(self, versions: tuple[int, ...], limit: int = 1000) -> None:
        keys = "\n".join(f'"{v}" = "v{v}.pem"' for v in versions)
        text = f'corpid = "ww-test"\nsdk = "{STANDIN}"\nlimit = {limit}\nwarn_days = 3\n[keys]\n{keys}\n'
        (self.root / "wecom.toml").write_text(text, encoding="utf-8")
        # a later rewrite within the file system's time resolution must still be seen as a change
        stamp = time.time() + len(self.data["records"]) if hasattr(self, "data") else time.time()
        os.utime(self.root / "wecom.toml", (stamp, stamp))

    def add(self, text: str, *, version: int = 1, age_days: float = 0.0, msgtype: str = "text",
            media: bytes | None = None) -> str:
        seq = len(self.data["records"]) + 1
        message: dict[str, Any] = {"msgid": f"w{seq}", "action": "send", "from": "zhangsan", "tolist": ["lisi"],
                                   "roomid": "", "msgtime": int((time.time() - age_days * 86_400) * 1000) or T0_MS,
                                   "msgtype": msgtype}
        if msgtype == "text":
            message["text"] = {"content": text}
        else:
            message[msgtype] = {"sdkfileid": f"file-{seq}", "filename": f"f{seq}.bin", "filesize": len(media or b"")}
            self.data["media"][f"file-{seq}"] = base64.b64encode(media or b"").decode()
        self.data["records"].append(seal(message, seq, version, self.keys[version]))
        self.save()
        return str(message["msgid"])

    def save(self) -> None:
        (self.root / "recording.json").write_bytes(orjson.dumps(self.data))

    def source(self) -> WecomSource:
        return WecomSource.from_config(self.root / "wecom.toml")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return migrate(make_engine(f"sqlite:///{tmp_path / 'w.db'}"))


def _ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Message.id)).scalars(), key=lambda i: int(i[1:]))


def _seq(engine: Engine) -> int:
    return read_positions(engine, "wecom:ww-test")["wecom:ww-test"].position


def test_records_are_opened_by_their_key_version_and_the_seq_is_stored(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    for i in range(6):
        archive.add(VIOLATING if i == 3 else ORDINARY[i % len(ORDINARY)], version=1 + i % 2)
    source = archive.source()
    pulled = source.pull(engine)
    assert pulled.errors == []
    assert _ids(engine) == [f"w{i}" for i in range(1, 7)]
    assert _seq(engine) == 6
    assert source.pull(engine).loaded == []  # nothing after seq 6
    assert isinstance(source.sdk, StandInSdk)
    assert source.sdk.limits == [1000, 1000]


def test_an_unknown_key_version_holds_the_cursor_until_the_key_is_added_without_restart(
    engine: Engine, tmp_path: Path,
) -> None:
    archive = Archive(tmp_path, versions=(1, 2))
    archive.add(ORDINARY[0], version=1)
    archive.add(ORDINARY[1], version=3)  # rotated: the new key is not configured yet
    archive.add(ORDINARY[2], version=1)
    source = archive.source()
    pulled = source.pull(engine)
    assert len(pulled.errors) == 1
    assert "publickey_ver 3" in pulled.errors[0]
    assert _ids(engine) == ["w1"]
    assert _seq(engine) == 1  # never past a message not read
    archive.write_config((1, 2, 3))
    assert source.pull(engine).errors == []
    assert _ids(engine) == ["w1", "w2", "w3"]
    assert _seq(engine) == 3


@pytest.mark.parametrize("fail_calls", [[1], [1, 2]])
def test_an_sdk_failure_is_retried_on_the_next_pull(engine: Engine, tmp_path: Path, fail_calls: list[int]) -> None:
    archive = Archive(tmp_path)
    archive.add(ORDINARY[0])
    archive.data["fail_chat_calls"] = fail_calls
    archive.save()
    source = archive.source()
    from redline.pipeline.wecom_sdk import SdkError

    for _ in fail_calls:
        with pytest.raises(SdkError):
            source.pull(engine)
    assert _ids(engine) == []
    source.pull(engine)
    assert _ids(engine) == ["w1"]


def test_pulls_take_at_most_limit_records_and_ask_for_more(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path, limit=2)
    for i in range(5):
        archive.add(ORDINARY[i % len(ORDINARY)])
    source = archive.source()
    assert [source.pull(engine).more for _ in range(3)] == [True, True, False]
    assert len(_ids(engine)) == 5
    (tmp_path / "wecom.toml").write_text('corpid = "x"\nsdk = "y"\nlimit = 1001\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="limit"):
        WecomConfig.read(tmp_path / "wecom.toml")


def test_files_wait_on_their_own_queue_and_never_delay_the_text(engine: Engine, tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    slow = archive.add("", msgtype="image", media=os.urandom(3000))
    broken = archive.add("", msgtype="file", media=b"x")
    text = archive.add(VIOLATING)
    archive.data["slow_media"] = {"file-1": 2.0}
    archive.data["fail_media"] = ["file-2"]
    archive.save()
    source = archive.source()
    started = time.monotonic()
    source.pull(engine)
    assert time.monotonic() - started < 2.0  # the slow file was not waited for
    assert text in _ids(engine)
    while source.media.fetch_one(engine):
        pass
    with engine.connect() as conn:
        items = {row.msgid: row for row in conn.execute(select(MediaItem.__table__))}
    assert items[slow].status == "done"
    assert Path(items[slow].path).read_bytes() == base64.b64decode(archive.data["media"]["file-1"])
    assert items[broken].status == "failed"
    assert items[broken].attempts == 5
    assert "expired" in items[broken].error


@pytest.mark.parametrize(("age_days", "warned"), [(0.0, False), (3.5, True)])
def test_a_pull_falling_behind_the_retention_window_warns(
    engine: Engine, tmp_path: Path, age_days: float, warned: bool,
) -> None:
    archive = Archive(tmp_path)
    archive.add(ORDINARY[0], age_days=age_days)
    warnings = archive.source().pull(engine).warnings
    assert bool(warnings) is warned
    assert all("days behind" in w for w in warnings)


def test_redline_watch_reads_the_archive_named_by_its_configuration(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.add(ORDINARY[0])
    archive.add(VIOLATING)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run([sys.executable, "-m", "redline", "watch", "--db", url, "--source",
                           f"wecom:{tmp_path / 'wecom.toml'}", "--once"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=False)
    assert done.returncode == 0, done.stderr
    assert "imported 2 rows, 1 new alerts" in done.stderr
    engine = make_engine(url)
    assert _ids(engine) == ["w1", "w2"]
