"""WeChat Moments (朋友圈) from the two exports investigators hold.

- The phone: WeChatMomentStat (Chion82/WeChatMomentStat-Android) writes `exported_sns.json`, a
  JSON array of `{"snsId", "authorName", "authorId", "content", "comments": [{"authorName",
  "authorId", "content", "toUserName", "toUserId"}], "likes": [{"userName", "userId"}],
  "mediaList": [url…], "rawXML", "timestamp"}` (unix seconds).
- A seized PC client: the decrypted `Sns.db` whose table `FeedsV20` (FeedId, CreateTime, …,
  UserName, …, Content) holds one TimelineObject XML per post (PyWxDump's `dbSns` reads the same
  table); the table saved as CSV with that header is read too.

Both become messages in conversation `moments:<wxid>`: the author's own words (contentDesc) are
the text; a shared article (ContentObject with a title and contentUrl) makes the post a `repost`
whose article is kept in the extra field `quote` as context, never as the author's words.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import Element

import orjson
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from redline.ingest.result import Row, SourceResult
from redline.ingest.values import CellError, clean, from_epoch
from redline.ingest.wechat_export import records

FEEDS_TABLE: Final = "FeedsV20"
FEEDS_CSV_HEADER: Final = "FeedId,CreateTime"
_FEEDS_QUERY: Final = "SELECT FeedId, CreateTime, UserName, Content FROM FeedsV20 ORDER BY CreateTime"
# ContentObject/contentStyle: what the post carries besides its text
_STYLES: Final = {"1": "images", "2": "text", "3": "article", "4": "music", "5": "video", "15": "video"}


def is_moments_json(data: Any) -> bool:
    """WeChatMomentStat's export: a list of objects with snsId and authorId."""
    return (isinstance(data, list) and bool(data) and isinstance(data[0], Mapping)
            and "snsId" in data[0] and "authorId" in data[0])


def is_sns_database(path: Path) -> bool:
    """A SQLite file with the PC client's FeedsV20 table."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                              (FEEDS_TABLE,)).fetchone() is not None
    except sqlite3.DatabaseError:
        return False


def read_moments_json(path: Path, data: Any, result: SourceResult) -> None:
    """Posts of WeChatMomentStat's exported_sns.json; likes and comments are counted as facts."""
    for number, post in enumerate(data, start=1):
        result.rows_read += 1
        if not isinstance(post, Mapping):
            result.reject(number, None, "a post is not a JSON object", post)
            continue
        try:
            timeline = parse_timeline(post.get("rawXML"))
            row = _row(post_id=clean(post.get("snsId")), wxid=clean(post.get("authorId")),
                       when=from_epoch(post.get("timestamp")), text=str(post.get("content") or ""),
                       timeline=timeline)
        except CellError as exc:
            result.reject(number, _field_of(exc), str(exc), orjson.dumps(post, default=str).decode())
            continue
        likes, comments = post.get("likes"), post.get("comments")
        row["likes"] = len(likes) if isinstance(likes, list) else 0
        row["comments"] = len(comments) if isinstance(comments, list) else 0
        if clean(post.get("authorName")):
            row["sender_name"] = clean(post.get("authorName"))
        result.add("messages", row)


def read_sns_database(path: Path, result: SourceResult) -> None:
    """Posts of a decrypted Sns.db (FeedsV20), read-only."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(_FEEDS_QUERY)
        for number, (feed_id, created, user, content) in enumerate(rows, start=1):
            result.rows_read += 1
            _feed(number, {"FeedId": feed_id, "CreateTime": created, "UserName": user, "Content": content}, result)
    result.note("likes and comments of Sns.db live in CommentV20 and are not counted here")


def read_sns_csv(path: Path, text: str | None, result: SourceResult) -> None:
    """FeedsV20 saved as CSV (FeedId,CreateTime,…,UserName,…,Content)."""
    if text is None:
        read_sns_database(path, result)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for record in records(reader, path):
        result.rows_read += 1
        if None in record or any(v is None for v in record.values()):
            result.reject(reader.line_num, None, "wrong number of columns (a truncated or broken row)",
                          list(record.values()))
            continue
        _feed(reader.line_num, record, result)


def _feed(line: int, record: Mapping[str, Any], result: SourceResult) -> None:
    try:
        timeline = parse_timeline(record.get("Content"))
        if timeline is None:
            raise CellError("Content: no TimelineObject XML")
        wxid = clean(record.get("UserName")) or _text(timeline, "username")
        row = _row(post_id=clean(record.get("FeedId")) or _text(timeline, "id"), wxid=wxid,
                   when=from_epoch(clean(record.get("CreateTime")) or _text(timeline, "createTime")),
                   text=_text(timeline, "contentDesc"), timeline=timeline)
    except CellError as exc:
        result.reject(line, _field_of(exc), str(exc), [str(v) for v in record.values()])
        return
    result.add("messages", row)


def parse_timeline(raw: object) -> Element | None:
    """The TimelineObject of a post's XML, or None when there is none; broken XML is a bad row."""
    text = clean(raw)
    if not text.startswith("<"):
        return None
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise CellError(f"Content: broken TimelineObject XML ({exc})") from exc
    found: Element | None = root if root.tag == "TimelineObject" else root.find(".//TimelineObject")
    return found


def _row(*, post_id: str, wxid: str, when: Any, text: str, timeline: Element | None) -> Row:
    if not post_id:
        raise CellError("snsId: no post id")
    if not wxid:
        raise CellError("authorId: no author")
    row: Row = {"id": f"moments:{post_id}", "time": when, "conversation": f"moments:{wxid}", "sender": wxid,
                "type": "post", "text": text, "attachment": None, "source_type": "moments"}
    if timeline is None:
        return row
    content = timeline.find("ContentObject")
    style = _text(content, "contentStyle") if content is not None else ""
    row["content_style"] = _STYLES.get(style, style)
    title, url = _text(content, "title"), _text(content, "contentUrl")
    if title or url:
        # a forwarded article (转发文章): the article is context, the comment is the author's
        row["type"] = "repost"
        row["quote"] = orjson.dumps({k: v for k, v in {"title": title, "url": url,
                                                        "text": _text(content, "description")}.items() if v}).decode()
    media = [clean(m.findtext("url")) for m in timeline.iter("media") if clean(m.findtext("url"))]
    if media:
        row["media_urls"] = ",".join(media)
    return row


def _text(node: Element | None, tag: str) -> str:
    return clean(node.findtext(tag)) if node is not None else ""


def _field_of(exc: CellError) -> str | None:
    head = str(exc).split(":", 1)[0]
    return head if head and " " not in head else None
