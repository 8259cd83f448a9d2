"""WeChat Moments: WeChatMomentStat's exported_sns.json and the PC client's Sns.db (FeedsV20)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import orjson
import pytest

from redline.ingest.run import read_source


def _timeline(feed_id: str, wxid: str, text: str, *, title: str = "", url: str = "", style: int = 2) -> str:
    content = (f"<ContentObject><contentStyle>{style}</contentStyle><title>{title}</title>"
               f"<description></description><contentUrl>{url}</contentUrl><mediaList>"
               + ("<media><id>1</id><type>2</type><url type=\"1\">http://shmmsns.qpic.cn/mmsns/x/0</url></media>"
                  if style == 1 else "") + "</mediaList></ContentObject>")
    return (f"<TimelineObject><id>{feed_id}</id><username>{wxid}</username><createTime>1696464720</createTime>"
            f"<contentDesc>{text}</contentDesc>{content}</TimelineObject>")


ARTICLE = _timeline("13900000000000001", "wxid_deputy", "大家都看看，说得太对了👍", title="某地干部任免内幕",
                    url="https://mp.weixin.qq.com/s/abc", style=3)
PHOTOS = _timeline("13900000000000002", "wxid_deputy", "周末带娃爬山", style=1)


def test_wechatmomentstat_json(tmp_path: Path) -> None:
    posts = [
        {"isCurrentUser": False, "snsId": "13900000000000001", "authorName": "老张", "authorId": "wxid_deputy",
         "content": "大家都看看，说得太对了👍", "comments": [{"authorName": "小李", "authorId": "wxid_li",
                                                       "content": "转了", "toUserName": "", "toUserId": ""}],
         "likes": [{"userName": "小王", "userId": "wxid_wang"}, {"userName": "小李", "userId": "wxid_li"}],
         "mediaList": [], "rawXML": ARTICLE, "timestamp": 1696464720},
        {"snsId": "13900000000000002", "authorName": "老张", "authorId": "wxid_deputy", "content": "周末带娃爬山",
         "comments": [], "likes": [], "mediaList": ["http://shmmsns.qpic.cn/mmsns/x/0"], "rawXML": PHOTOS,
         "timestamp": 1696551120},
        {"snsId": "13900000000000003", "authorId": "wxid_deputy", "content": "坏XML", "rawXML": "<TimelineObject><id>",
         "timestamp": 1696551120},
        {"snsId": "13900000000000004", "authorId": "wxid_deputy", "content": "没有时间", "timestamp": 0},
    ]
    path = tmp_path / "exported_sns.json"
    path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    result = read_source(path, "auto", "self")
    assert result.format == "moments-json"
    article, photos = result.tables["messages"]
    assert (article["type"], article["conversation"], article["sender"]) == ("repost", "moments:wxid_deputy",
                                                                           "wxid_deputy")
    assert article["text"] == "大家都看看，说得太对了👍"
    assert orjson.loads(article["quote"]) == {"title": "某地干部任免内幕", "url": "https://mp.weixin.qq.com/s/abc"}
    assert (article["likes"], article["comments"]) == (2, 1)
    assert article["time"].isoformat() == "2023-10-05T08:12:00+08:00"
    assert (photos["type"], photos["content_style"]) == ("post", "images")
    assert photos["media_urls"].startswith("http://shmmsns")
    bad = {q.line: q.reason for q in result.quarantined}
    assert set(bad) == {3, 4}
    assert "broken TimelineObject XML" in bad[3]


def _feeds(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [(feed, created, 0, 1, user, 0, 0, 0, "", content) for feed, created, user, content in rows]


COLUMNS = ("FeedId", "CreateTime", "FaultId", "Type", "UserName", "Status", "ExtFlag", "PrivFlag", "StringId", "Content")
FEED_ROWS = [("13900000000000001", 1696464720, "wxid_deputy", ARTICLE),
             ("13900000000000002", 1696551120, "wxid_deputy", PHOTOS),
             ("13900000000000005", 1696551200, "wxid_deputy", "not xml")]


def test_sns_database(tmp_path: Path) -> None:
    path = tmp_path / "Sns.db"
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE FeedsV20 ({', '.join(COLUMNS)})")
        db.execute("CREATE TABLE CommentV20 (FeedId, CommentType, FromUserName, Content, CreateTime)")
        db.executemany(f"INSERT INTO FeedsV20 VALUES ({', '.join('?' * len(COLUMNS))})", _feeds(FEED_ROWS))
    result = read_source(path, "auto", "self")
    assert result.format == "moments-sns"
    assert [m["type"] for m in result.tables["messages"]] == ["repost", "post"]
    [bad] = result.quarantined
    assert "no TimelineObject" in bad.reason


def test_sns_table_saved_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "FeedsV20.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(_feeds(FEED_ROWS))
    result = read_source(path, "auto", "self")
    assert result.format == "moments-sns"
    assert [m["id"] for m in result.tables["messages"]] == ["moments:13900000000000001", "moments:13900000000000002"]
    assert [q.line for q in result.quarantined] == [4]


def test_an_unrelated_sqlite_file_is_not_recognised(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a)")
    with pytest.raises(Exception, match="not recognised"):
        read_source(path, "auto", "self")
