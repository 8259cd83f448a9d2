"""The Spark engine (local[2]) and the local engine give exactly the same findings, row for row."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")]
# the figure; REDLINE_SPARK_PARITY_ROWS=50000 gives a quick local run
ROWS = int(os.environ.get("REDLINE_SPARK_PARITY_ROWS", "1000000"))
EDGE_TEXTS = ["", None, "机 密 ★ 1 年 的文件请勿外传", "x" * 200_000, "\x00\x07控制字符\ud800", "身份证 11010519491231002X 请核对"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from redline.scan.spark import local_session

    session = local_session("local[2]", "redline-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def messages_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROWS messages: the demo county's chat repeated under new ids, plus edge cases."""
    from redline.bundle import read_bundle
    from redline.demo import build_demo

    folder = tmp_path_factory.mktemp("spark")
    demo = read_bundle(build_demo(folder / "bundle", scale=0.1).bundle_path).tables.messages
    base = demo.select(["id", "text"])
    tables, made = [], 0
    copy = 0
    while made < ROWS:
        part = base.slice(0, min(base.num_rows, ROWS - made))
        tables.append(pa.table({"id": pc.binary_join_element_wise(part["id"], pa.scalar(f"#{copy}"), ""),
                                "text": part["text"]}))
        made += part.num_rows
        copy += 1
    edge = pa.table({"id": [f"edge-{i}" for i in range(len(EDGE_TEXTS))],
                     "text": pa.array([t.encode("utf-8", "replace").decode() if t else t for t in EDGE_TEXTS])})
    path = folder / "messages.parquet"
    pq.write_table(pa.concat_tables([*tables, edge]), path, row_group_size=100_000)
    return path


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return sorted(tuple(row.values()) for row in table.to_pylist())


def test_spark_and_local_engines_agree_row_for_row(spark: Any, messages_parquet: Path, tmp_path: Path) -> None:
    from redline.rules.build import build_plan
    from redline.scan.parquet import screen_parquet_file
    from redline.scan.spark import PlanSpec, screen_parquet

    local_out, spark_out = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    messages, _ = screen_parquet_file(build_plan("all").plan, messages_parquet, local_out)
    assert messages == ROWS + len(EDGE_TEXTS)
    count = screen_parquet(spark, str(messages_parquet), str(spark_out), PlanSpec())
    local, distributed = pq.read_table(local_out), pq.read_table(spark_out)
    assert distributed.schema.names == local.schema.names
    assert count == local.num_rows > ROWS // 100  # the demo chat does hold leads
    assert _rows(distributed) == _rows(local)
    edge_rules = {r["rule_id"] for r in local.to_pylist() if r["message_id"].startswith("edge-")}
    assert edge_rules  # the secret marking and the ID number in the edge cases are found


def test_overrides_travel_to_the_workers(spark: Any, tmp_path: Path) -> None:
    from redline.scan.spark import PlanSpec, screen_dataframe

    overrides = tmp_path / "org.yaml"
    overrides.write_text("rules:\n  TJ-07:\n    enabled: false\n", encoding="utf-8")
    frame = spark.createDataFrame([("1", "机密★1年 文件不得外传")], "id string, text string")
    plain = {r["rule_id"] for r in screen_dataframe(frame, PlanSpec()).collect()}
    spec = PlanSpec.from_files("all", overrides)
    switched = {r["rule_id"] for r in screen_dataframe(frame, spec).collect()}
    assert "TJ-07" in plain
    assert "TJ-07" not in switched
