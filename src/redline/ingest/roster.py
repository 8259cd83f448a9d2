"""HR rosters (CSV or XLSX) → people; several rows for one person are a post history, and a
change of post becomes the end of the old one (职务变动), which work-group checks rely on.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Final

from redline.errors import InputError, SourceLocation
from redline.ingest.result import SourceResult
from redline.ingest.tabular import SheetRow, csv_rows, xlsx_rows
from redline.ingest.values import CellError, clean, parse_date

ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "person_id": ("person_id", "工号", "人员编号", "编号", "职工号", "员工编号"),
    "name": ("name", "姓名"),
    "unit": ("unit", "单位", "部门", "所在单位", "工作单位", "所在部门"),
    "post": ("post", "职务", "岗位", "职位", "现任职务"),
    "is_official": ("is_official", "是否公职人员", "公职人员"),
    "start": ("start_date", "任职时间", "任职日期", "入职日期", "开始日期", "任职开始"),
    "end": ("end_date", "离任时间", "离职日期", "免职日期", "结束日期", "任职结束", "离任日期"),
    # accounts that link exports to the person (ingest/accounts.py): optional columns
    "weibo_uid": ("weibo_uid", "微博UID", "微博uid", "微博ID", "微博id", "微博账号ID"),
    "wechat_id": ("wechat_id", "wxid", "微信号", "微信ID", "微信id"),
}
_NO: Final = {"否", "no", "false", "0", "n"}
ACCOUNT_FIELDS: Final = ("weibo_uid", "wechat_id")


def header_map(cells: tuple[str, ...]) -> dict[str, int] | None:
    """Canonical field → column, when the row is a roster header (id, name and unit present)."""
    found: dict[str, int] = {}
    for field, names in ALIASES.items():
        for position, name in enumerate(cells):
            if name in names:
                found.setdefault(field, position)
    return found if {"person_id", "name", "unit"} <= found.keys() else None


def read_roster(path: Path, text: str | None, result: SourceResult) -> None:
    """Rows of (工号, 姓名, 单位, 职务, 任职时间, 离任时间 …); unknown columns are kept."""
    rows = xlsx_rows(path) if text is None else csv_rows(text)
    start, columns = next(((i, m) for i, r in enumerate(rows) if (m := header_map(r.cells))), (None, None))
    if start is None or columns is None:
        raise InputError("no roster header (needs 工号/人员编号, 姓名 and 单位/部门 columns)", SourceLocation(path))
    extra_columns = {i: name for i, name in enumerate(rows[start].cells)
                     if name and i not in columns.values()}
    history: dict[str, list[tuple[SheetRow, dict[str, Any]]]] = defaultdict(list)
    for row in rows[start + 1:]:
        if not any(row.cells):
            continue
        result.rows_read += 1
        try:
            record = _record(row, columns)
        except CellError as exc:
            field = str(exc).split(":", 1)[0]
            result.reject(row.line, field, str(exc), row.raw)
            continue
        record.update({name: row.cells[i] for i, name in extra_columns.items() if i < len(row.cells)})
        history[record["person_id"]].append((row, record))
    for posts in history.values():
        posts.sort(key=lambda item: item[1]["start_date"] or date.min)
        current = dict(posts[-1][1])
        if len(posts) > 1:
            previous = posts[-2][1]
            current["previous_unit"] = previous["unit"]
            current["previous_post"] = previous["post"]
            # the old post ended when the new one began, unless the roster says otherwise
            current["post_changed_on"] = (previous["end_date"] or current["start_date"] or "")
            result.note("people with several roster rows: the latest post is kept, the previous one "
                        "in previous_unit / previous_post / post_changed_on")
        result.add("people", current)


def _record(row: SheetRow, columns: dict[str, int]) -> dict[str, Any]:
    def get(field: str) -> str:
        position = columns.get(field)
        return clean(row.cells[position]) if position is not None and position < len(row.cells) else ""

    person_id = get("person_id")
    if not person_id:
        raise CellError("person_id: empty 工号")
    name = get("name")
    if not name:
        raise CellError("name: empty 姓名")
    try:
        start = parse_date(row.raw[columns["start"]]) if "start" in columns and columns["start"] < len(row.raw) else None
    except CellError as exc:
        raise CellError(f"start_date: {exc}") from exc
    try:
        end = parse_date(row.raw[columns["end"]]) if "end" in columns and columns["end"] < len(row.raw) else None
    except CellError as exc:
        raise CellError(f"end_date: {exc}") from exc
    official = get("is_official")
    record: dict[str, Any] = {"person_id": person_id, "name": name, "unit": get("unit"), "post": get("post"),
                              "is_official": official.lower() not in _NO if official else True,
                              "external": False, "start_date": start, "end_date": end}
    record.update({account: get(account) for account in ACCOUNT_FIELDS if account in columns})
    return record
