"""Weibo posts written the way weibo-crawler writes them (csv.writer, utf-8-sig; json.dump)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, strategies as st

from redline.bundle import read_bundle
from redline.ingest.run import ingest, read_source
from redline.ingest.values import CellError
from redline.ingest.weibo import parse_count

BASE = ["id", "bid", "正文", "原始图片url", "视频url", "位置", "日期", "工具", "点赞数", "评论数", "转发数", "话题", "@用户"]
WITH_ARTICLE = ["id", "bid", "正文", "头条文章url", "原始图片url", "视频url", "位置", "日期", "工具", "点赞数",
                "评论数", "转发数", "话题", "@用户"]


def _with_reposts(base: list[str]) -> list[str]:
    return base + ["是否原创", "源用户id", "源用户昵称"] + ["源微博" + c for c in base]


LONG = "今天参加全县防汛调度会，" * 40 + "🌧️请各村做好转移准备。"


def _write(path: Path, columns: list[str], rows: list[dict[str, object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def _rows() -> list[dict[str, object]]:
    return [
        {"id": "4950000000000001", "bid": "N1abc", "正文": "县气象台发布暴雨橙色预警，请注意防范🌧️", "日期": "2023-10-05 08:12",
         "工具": "iPhone客户端", "点赞数": "1.2万", "评论数": "356", "转发数": "10万+", "话题": "暴雨预警", "是否原创": "True",
         "原始图片url": "https://wx1.sinaimg.cn/large/a.jpg,https://wx1.sinaimg.cn/large/b.jpg"},
        {"id": "4950000000000002", "bid": "N1abd", "正文": "内部消息，先别外传", "日期": "2023-10-06 21:40",
         "点赞数": "3", "评论数": "0", "转发数": "88", "是否原创": "False", "源用户id": "7000000001",
         "源用户昵称": "某大V", "源微博id": "4949999999999999", "源微博正文": "听说县里要换一批局长了，名单都出来了",
         "源微博日期": "2023-10-06 20:00", "源微博点赞数": "2.5万", "源微博评论数": "1,024", "源微博转发数": "3万"},
        {"id": "4950000000000003", "bid": "N1abe", "正文": LONG, "日期": "2023-10-07", "点赞数": "", "是否原创": "True"},
        {"id": "4950000000000004", "bid": "N1abf", "正文": "坏的日期", "日期": "昨天 10:00", "是否原创": "True"},
        {"id": "4950000000000005", "bid": "N1abg", "正文": "坏的计数", "日期": "2023-10-08 09:00", "点赞数": "很多",
         "是否原创": "True"},
    ]


@pytest.mark.parametrize("base", [BASE, WITH_ARTICLE], ids=["old-header", "with-article-url"])
def test_csv_both_header_variants_with_reposts(tmp_path: Path, base: list[str]) -> None:
    path = _write(tmp_path / "1234567890.csv", _with_reposts(base), _rows())
    result = read_source(path, "auto", "self")
    assert result.format == "weibo-csv"
    posts = {m["id"]: m for m in result.tables["messages"]}
    assert set(posts) == {"weibo:4950000000000001", "weibo:4950000000000002", "weibo:4950000000000003"}
    first, repost, long = (posts[f"weibo:495000000000000{n}"] for n in (1, 2, 3))
    assert (first["type"], first["conversation"], first["sender"]) == ("post", "weibo:1234567890", "weibo:1234567890")
    assert first["time"].isoformat() == "2023-10-05T08:12:00+08:00"
    assert (first["likes"], first["comments"], first["reposts"]) == (12000, 356, 100000)
    assert first["media_urls"].count("https://") == 2
    # the repost's text is the official's own comment; the rumour stays quoted context
    assert (repost["type"], repost["text"]) == ("repost", "内部消息，先别外传")
    quote = orjson.loads(repost["quote"])
    assert quote["text"] == "听说县里要换一批局长了，名单都出来了"
    assert (quote["author_uid"], quote["likes"], quote["comments"]) == ("7000000001", 25000, 1024)
    assert long["text"] == LONG
    assert "likes" not in long
    bad = {q.line: q for q in result.quarantined}
    assert set(bad) == {5, 6}
    assert bad[5].field == "日期"
    assert "昨天" in bad[5].reason
    assert bad[6].field == "点赞数"


def test_crawler_without_reposts_and_truncated_row(tmp_path: Path) -> None:
    path = tmp_path / "1234567890.csv"
    _write(path, BASE, _rows()[:1])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("4950000000000009,N1x,被截断的一行\n")
    result = read_source(path, "auto", "self")
    [post] = result.tables["messages"]
    assert post["type"] == "post"
    [bad] = result.quarantined
    assert bad.line == 3
    assert "wrong number of columns" in bad.reason


def test_gb18030_file_as_excel_resaves_it_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "1234567890.csv", _with_reposts(BASE), _rows()[:2], encoding="gb18030")
    result = read_source(path, "auto", "self")
    assert [m["text"][:4] for m in result.tables["messages"]] == ["县气象台", "内部消息"]


def test_json_with_retweet(tmp_path: Path) -> None:
    data = {"user": {"id": "1234567890", "screen_name": "某县干部"}, "weibo": [
        {"id": 4950000000000011, "bid": "N2", "user_id": "1234567890", "screen_name": "某县干部",
         "text": "转发县融媒体中心：辟谣！网传名单系谣言", "pics": "", "video_url": "", "location": "",
         "created_at": "2023-10-07", "full_created_at": "2023-10-07 09:30:00", "source": "微博网页版",
         "attitudes_count": 12, "comments_count": 1, "reposts_count": "1.1万", "topics": "", "at_users": "",
         "retweet": {"id": 4950000000000010, "user_id": "6000000001", "screen_name": "某县发布",
                     "text": "关于网传人事调整名单的说明：系谣言", "created_at": "2023-10-07", "attitudes_count": 300,
                     "comments_count": 20, "reposts_count": 500}},
        {"id": 4950000000000012, "text": "早安☀️", "created_at": "2023-10-08"},
        "not a post",
        {"id": 4950000000000013, "text": "缺日期"},
    ]}
    path = tmp_path / "1234567890.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = read_source(path, "auto", "self")
    assert result.format == "weibo-json"
    repost, plain = result.tables["messages"]
    assert (repost["type"], repost["reposts"], repost["time"].isoformat()) == ("repost", 11000, "2023-10-07T09:30:00+08:00")
    assert orjson.loads(repost["quote"])["author_name"] == "某县发布"
    assert (plain["type"], plain["conversation"]) == ("post", "weibo:1234567890")
    assert sorted(q.line for q in result.quarantined) == [3, 4]


def test_roster_links_weibo_account_to_person(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    _write(source / "1234567890.csv", _with_reposts(BASE), _rows()[:2])
    (source / "roster.csv").write_text("工号,姓名,单位,职务,微博UID\nP001,张三,县公安局,副局长,1234567890\n"
                                       "P002,李四,县公安局,科员,\n", encoding="utf-8")
    report = ingest([source], tmp_path / "bundle")
    assert report.linked_accounts == 2
    messages = read_bundle(tmp_path / "bundle").tables.messages.to_pylist()
    assert {m["sender"] for m in messages} == {"P001"}
    assert {m["conversation"] for m in messages} == {"weibo:1234567890"}
    # idempotent: a second run writes the same bundle
    ingest([source], tmp_path / "bundle")
    assert read_bundle(tmp_path / "bundle").tables.messages.to_pylist() == messages


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("1,234", 1234), ("1.2万", 12000), ("10万+", 100000),
                                             ("3亿", 300000000), ("", None), (" 56 ", 56)])
def test_parse_count(text: str, value: int | None) -> None:
    assert parse_count(text) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_count_plain_and_wan(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(f"{n // 10000}万") == (n // 10000) * 10000


@pytest.mark.parametrize("text", ["很多", "1.2千", "-3", "万"])
def test_parse_count_refuses(text: str) -> None:
    with pytest.raises(CellError):
        parse_count(text)
