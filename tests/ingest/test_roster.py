"""HR rosters in CSV and XLSX, with post history turned into post changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from redline.ingest.run import read_source

ROWS = [
    ["工号", "姓名", "单位", "职务", "任职时间", "离任时间", "备注"],
    ["A001", "张伟", "粮食和物资储备局", "粮站副站长", "2015-03-01", "", ""],
    ["A002", "李娜", "县委办", "科员", "2014-01-01", "2016-06-30", ""],
    ["A002", "李娜", "财政局", "副科长", "2016-07-01", "", "调任"],
    ["", "无名", "县委办", "科员", "", "", ""],
]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(",".join(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def _xlsx(tmp_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年 干部花名册"])
    for row in ROWS:
        sheet.append([date.fromisoformat(c) if c[:2] == "20" and len(c) == 10 else c for c in row])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("make", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_roster(tmp_path: Path, make: object) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = read_source(path, "auto", "me")
    assert result.format == "roster"
    people = {p["person_id"]: p for p in result.tables["people"]}
    assert sorted(people) == ["A001", "A002"]
    moved = people["A002"]
    assert (moved["unit"], moved["post"], moved["previous_unit"], moved["start_date"]) == (
        "财政局", "副科长", "县委办", date(2016, 7, 1))
    assert moved["post_changed_on"] == date(2016, 6, 30)
    assert people["A001"]["is_official"] is True
    assert people["A001"]["备注"] == ""
    [bad] = result.quarantined
    assert (bad.line, bad.field) == (6 if path.suffix == ".xlsx" else 5, "person_id")
