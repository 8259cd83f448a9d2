"""Weibo posts as `weibo-crawler` (dataabc/weibo-crawler) writes them: one CSV and/or JSON per account.

CSV header (the crawler's `get_result_headers`): `id, bid, 正文, [头条文章url,] 原始图片url, 视频url,
位置, 日期, 工具, 点赞数, 评论数, 转发数, 话题, @用户`; when reposts were kept (filter=0) it adds
`是否原创, 源用户id, 源用户昵称` and the same columns again prefixed `源微博`. The JSON is
`{"user": {...}, "weibo": [{"id", "bid", "user_id", "screen_name", "text", "pics", "video_url",
"location", "created_at", "source", "attitudes_count", "comments_count", "reposts_count", "topics",
"at_users", "retweet": {...}}]}`. A CSV file is named by the account's uid (`<uid>.csv`), which is
the only place the CSV names its author.

A post becomes a message in conversation `weibo:<uid>` of type `post` or `repost`. A repost's
text is the official's own words (转发理由); the original post travels in the extra field `quote`
as context and is never attributed to the official, so the screening never reads it as theirs.
点赞/评论/转发 counts are facts (`likes`, `comments`, `reposts`), read from `1.2万`-style text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import orjson

from redline.ingest.result import Row, SourceResult
from redline.ingest.values import CellError, clean, parse_local_time
from redline.ingest.wechat_export import records

# the columns every variant has; 头条文章url came in later versions of the crawler
CORE_HEADER: Final = ("id", "bid", "正文")
SIGNATURE: Final = frozenset({"id", "bid", "正文", "日期", "点赞数", "转发数"})
SOURCE_PREFIX: Final = "源微博"
_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|亿)?\+?$")
_UNITS: Final = {"": 1, "万": 10_000, "亿": 100_000_000}
_UID_FILE = re.compile(r"^(\d{5,})$")


def parse_count(cell: object) -> int | None:
    """A count as Weibo shows it: 123, 1,234, 1.2万, 10万+, 3亿 → int; empty → None."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    text = clean(cell).replace(",", "")
    if not text or text in ("-", "/"):
        return None
    match = _COUNT.match(text)
    if not match:
        raise CellError(f"not a count: {text!r}")
    try:
        return int(Decimal(match.group(1)) * _UNITS[match.group(2) or ""])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise CellError(f"not a count: {text!r}") from exc


def is_weibo_header(cells: tuple[str, ...] | list[str]) -> bool:
    """True for the crawler's CSV header (either variant)."""
    names = {clean(c) for c in cells}
    return names >= SIGNATURE


def is_weibo_json(data: Any) -> bool:
    """True for the crawler's JSON: a `weibo` list of posts with id and text (and usually `user`)."""
    if not isinstance(data, Mapping):
        return False
    posts = data.get("weibo")
    if not isinstance(posts, list):
        return False
    first = next((p for p in posts if isinstance(p, Mapping)), None)
    return first is None or ("id" in first and "text" in first)


def read_weibo_csv(path: Path, text: str, result: SourceResult) -> None:
    """One account's posts; the uid comes from the file name (`<uid>.csv`), as the crawler names it."""
    uid = _uid_from_name(path)
    if uid is None:
        result.note("the file is not named <uid>.csv as weibo-crawler names it: the account is keyed by "
                    f"the file name ({path.stem}); link it to a person with the roster's weibo_uid")
        uid = path.stem
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for record in records(reader, path):
        result.rows_read += 1
        line = reader.line_num
        if None in record or any(v is None for v in record.values()):
            result.reject(line, None, "wrong number of columns (a truncated or broken row)", list(record.values()))
            continue
        try:
            _csv_post(record, uid, result)
        except CellError as exc:
            result.reject(line, _field_of(exc), str(exc), list(record.values()))


def read_weibo_json(path: Path, data: Any, result: SourceResult) -> None:
    """The crawler's JSON: `user` names the account, `weibo` lists its posts."""
    user = data.get("user") if isinstance(data.get("user"), Mapping) else {}
    account = clean(user.get("id")) or _uid_from_name(path) or path.stem
    for number, post in enumerate(data.get("weibo") or [], start=1):
        result.rows_read += 1
        if not isinstance(post, Mapping):
            result.reject(number, None, "a post is not a JSON object", post)
            continue
        try:
            _json_post(post, clean(post.get("user_id")) or account, result)
        except CellError as exc:
            result.reject(number, _field_of(exc), str(exc), orjson.dumps(post, default=str).decode())


def _csv_post(record: dict[str, str], uid: str, result: SourceResult) -> None:
    original = clean(record.get("是否原创")).lower() not in ("false", "0", "否")
    quote: dict[str, Any] | None = None
    if not original:
        quote = {
            "id": _required_id(record.get(SOURCE_PREFIX + "id"), "源微博id"),
            "author_uid": clean(record.get("源用户id")),
            "author_name": clean(record.get("源用户昵称")),
            "text": record.get(SOURCE_PREFIX + "正文") or "",
            "time": _time_text(record.get(SOURCE_PREFIX + "日期")),
            "likes": _count(record.get(SOURCE_PREFIX + "点赞数"), "源微博点赞数"),
            "comments": _count(record.get(SOURCE_PREFIX + "评论数"), "源微博评论数"),
            "reposts": _count(record.get(SOURCE_PREFIX + "转发数"), "源微博转发数"),
            "article_url": clean(record.get(SOURCE_PREFIX + "头条文章url")),
        }
    result.add("messages", _post_row(
        post_id=_required_id(record.get("id"), "id"), uid=uid, text=record.get("正文") or "",
        when=_time(record.get("日期"), "日期"), quote=quote,
        facts={"likes": _count(record.get("点赞数"), "点赞数"), "comments": _count(record.get("评论数"), "评论数"),
               "reposts": _count(record.get("转发数"), "转发数")},
        extra={"bid": clean(record.get("bid")), "location": clean(record.get("位置")),
               "tool": clean(record.get("工具")), "topics": clean(record.get("话题")),
               "mentions": clean(record.get("@用户")), "article_url": clean(record.get("头条文章url")),
               "media_urls": _urls(record.get("原始图片url"), record.get("视频url"))}))


def _json_post(post: Mapping[str, Any], uid: str, result: SourceResult) -> None:
    retweet = post.get("retweet")
    quote: dict[str, Any] | None = None
    if isinstance(retweet, Mapping):
        quote = {
            "id": _required_id(retweet.get("id"), "retweet.id"),
            "author_uid": clean(retweet.get("user_id")), "author_name": clean(retweet.get("screen_name")),
            "text": str(retweet.get("text") or ""),
            "time": _time_text(retweet.get("full_created_at") or retweet.get("created_at")),
            "likes": _count(retweet.get("attitudes_count"), "retweet.attitudes_count"),
            "comments": _count(retweet.get("comments_count"), "retweet.comments_count"),
            "reposts": _count(retweet.get("reposts_count"), "retweet.reposts_count"),
            "article_url": clean(retweet.get("article_url")),
        }
    when = post.get("full_created_at") or post.get("created_at")
    result.add("messages", _post_row(
        post_id=_required_id(post.get("id"), "id"), uid=uid, text=str(post.get("text") or ""),
        when=_time(when, "created_at"), quote=quote,
        facts={"likes": _count(post.get("attitudes_count"), "attitudes_count"),
               "comments": _count(post.get("comments_count"), "comments_count"),
               "reposts": _count(post.get("reposts_count"), "reposts_count")},
        extra={"bid": clean(post.get("bid")), "location": clean(post.get("location")),
               "tool": clean(post.get("source")), "topics": clean(post.get("topics")),
               "mentions": clean(post.get("at_users")), "article_url": clean(post.get("article_url")),
               "media_urls": _urls(post.get("pics"), post.get("video_url"))}))


def _post_row(*, post_id: str, uid: str, text: str, when: Any, quote: dict[str, Any] | None,
              facts: dict[str, int | None], extra: dict[str, str]) -> Row:
    row: Row = {"id": f"weibo:{post_id}", "time": when, "conversation": f"weibo:{uid}",
                "sender": f"weibo:{uid}", "type": "repost" if quote else "post", "text": text,
                "attachment": None, "source_type": "weibo-crawler"}
    row.update({k: v for k, v in facts.items() if v is not None})
    row.update({k: v for k, v in extra.items() if v})
    if quote:
        # the original post is context for the reviewer, kept apart from the official's own words
        row["quote"] = orjson.dumps({k: v for k, v in quote.items() if v not in (None, "")}).decode()
    return row


def _uid_from_name(path: Path) -> str | None:
    match = _UID_FILE.match(path.stem)
    return match.group(1) if match else None


def _required_id(cell: object, name: str) -> str:
    value = clean(cell)
    if not value:
        raise CellError(f"{name}: no post id")
    return value


def _time(cell: object, name: str) -> Any:
    try:
        return parse_local_time(cell)
    except CellError as exc:
        raise CellError(f"{name}: {exc}") from exc


def _time_text(cell: object) -> str:
    if not clean(cell):
        return ""
    try:
        return parse_local_time(cell).isoformat()
    except CellError:
        return clean(cell)


def _count(cell: object, name: str) -> int | None:
    try:
        return parse_count(cell)
    except CellError as exc:
        raise CellError(f"{name}: {exc}") from exc


def _urls(*cells: object) -> str:
    urls = [u for cell in cells for u in re.split(r"[,\s]+", clean(cell)) if u.startswith("http")]
    return ",".join(urls)


def _field_of(exc: CellError) -> str | None:
    head = str(exc).split(":", 1)[0]
    return head if head and " " not in head else None
