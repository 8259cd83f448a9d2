"""Public posts of the demo county: officials' Weibo accounts and 朋友圈 (Moments).

Ordinary posts (weather warnings, policy announcements, reposts of the county's official
account 清河发布) surround one planted case — an official reposting a rumour about an
unpublished personnel decision with a comment that claims inside knowledge — and its
near-miss, another official reposting the county's rebuttal of that rumour. The seed's
forwarded article (seed case 3) is re-enacted in the deputy police chief's 朋友圈: a shared
article with his own comment, which uses the neutral placeholder term (political term lists
are organisation-supplied).

A post's facts (点赞/评论/转发) and a repost's quoted original travel as the bundle's extra
message columns, exactly as the Weibo and Moments importers write them.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import orjson

from redline.demo.group_cases import PLACEHOLDER_TERM
from redline.demo.planter import Planter, when
from redline.demo.units import official_id
from redline.vocab import Category

COUNTY_ACCOUNT: Final = "6000000001"  # 清河发布, the county's official account (not a person)
LOCAL_NEWS: Final = "7100000001"  # a local gossip account that started the rumour
# accounts that are nobody of the roster stay external people (the importer's convention)
EXTERNAL_ACCOUNTS: Final = {f"weibo:{COUNTY_ACCOUNT}": "清河发布", f"weibo:{LOCAL_NEWS}": "清河身边事"}
# officials with a Weibo account: person → uid (the roster's weibo_uid column)
ACCOUNTS: Final = {
    official_id(2, "应急办主任"): "5800000021",
    official_id(13, "办公室主任"): "5800000131",
    official_id(9, "副局长", 0): "5800000091",
    official_id(5, "副局长", 0): "5800000051",
    official_id(12, "办公室主任"): "5800000121",
}
_ORDINARY: Final = (
    (official_id(2, "应急办主任"), date(2023, 9, 12), "【天气预警】县气象台发布暴雨黄色预警，请广大群众减少外出，注意防范🌧️", 35, 4, 61),
    (official_id(2, "应急办主任"), date(2023, 11, 20), "寒潮来袭，县应急管理局提醒：注意防寒保暖，用火用电注意安全。", 18, 2, 27),
    (official_id(13, "办公室主任"), date(2023, 9, 1), "新学期开学第一天，祝全县师生开学快乐！", 120, 15, 9),
    (official_id(13, "办公室主任"), date(2023, 12, 4), "国家宪法日，我县中小学开展宪法晨读活动。", 44, 3, 12),
    (official_id(9, "副局长", 0), date(2023, 10, 1), "国庆假期出行提示：G235线马庄段施工，请绕行。", 76, 9, 130),
    (official_id(12, "办公室主任"), date(2023, 10, 15), "消费提示：购买预付卡请认准备案经营者，保留好消费凭证。", 23, 1, 8),
    (official_id(5, "副局长", 0), date(2023, 9, 20), "今天到永乐镇调研高标准农田项目，田间地头看进度。", 15, 2, 3),
)
_COUNTY_POSTS: Final = (
    (date(2023, 10, 18), "【清河发布】我县今冬明春供暖工作全面启动，有问题请拨打供暖服务热线。", 800, 120, 300),
    (date(2023, 12, 1), "【清河发布】2023年下半年公务员考试笔试成绩已公布，请考生登录官网查询。", 2100, 300, 900),
)


def _facts(likes: int, comments: int, reposts: int) -> dict[str, str]:
    return {"likes": str(likes), "comments": str(comments), "reposts": str(reposts), "source_type": "demo"}


def _post(p: Planter, case: str, uid: str, sender: str, day: date, hour: int, text: str, *,
          quote: dict[str, object] | None = None, counts: tuple[int, int, int] = (0, 0, 0)) -> str:
    extra = _facts(*counts)
    if quote is not None:
        extra["quote"] = orjson.dumps(quote).decode()
    return p.say(case, when(day, hour, 30), f"weibo:{uid}", sender, text, "repost" if quote else "post",
                 extra=extra)


def weibo_posts(p: Planter) -> None:
    """Ordinary posts and reposts of the county's official account, then the case and its near-miss."""
    for person, day, text, likes, comments, reposts in _ORDINARY:
        _post(p, "weibo", ACCOUNTS[person], person, day, 9, text, counts=(likes, comments, reposts))
    for day, text, likes, comments, reposts in _COUNTY_POSTS:
        original = _post(p, "weibo", COUNTY_ACCOUNT, f"weibo:{COUNTY_ACCOUNT}", day, 8, text,
                         counts=(likes, comments, reposts))
        for person in list(ACCOUNTS)[:2]:
            _post(p, "weibo", ACCOUNTS[person], person, day, 10, "转发微博",
                  quote={"id": original, "author_uid": COUNTY_ACCOUNT, "author_name": "清河发布", "text": text})
    rumour_text = "网传清河县下月要调整一批局长，名单已经定了，交通局、住建局都要换人"
    rumour = _post(p, "weibo_rumour", LOCAL_NEWS, f"weibo:{LOCAL_NEWS}", date(2023, 11, 8), 19, rumour_text,
                   counts=(5200, 880, 3100))
    official = official_id(5, "副局长", 0)
    comment = "不是谣言，名单我在组织部看过了，交通局老李去政协，内部消息先别外传"
    repost = _post(p, "weibo_rumour", ACCOUNTS[official], official, date(2023, 11, 8), 21, comment,
                   quote={"id": rumour, "author_uid": LOCAL_NEWS, "author_name": "清河身边事", "text": rumour_text},
                   counts=(430, 96, 2300))
    p.cases["weibo_rumour"] = {
        "title": "干部在微博转发未公开人事调整的传言并称看过名单", "person_id": official,
        "message_ids": [repost], "context_message_ids": [rumour], "reposts": 2300,
        "expected": {"category": Category.RUMOUR, "detectors": ["lexicon"], "rule_ids": ["TJ-09", "ZJ-03"],
                     "note": "the official's own comment claims sight of an unpublished list; the quoted rumour "
                             "is context and is never attributed to him"},
    }
    rebuttal_text = "【清河发布】关于网传我县干部调整名单的说明：经核实，网传内容系谣言，请勿轻信、传播。"
    rebuttal = _post(p, "weibo_rebuttal", COUNTY_ACCOUNT, f"weibo:{COUNTY_ACCOUNT}", date(2023, 11, 9), 10,
                     rebuttal_text, counts=(3400, 410, 2600))
    other = official_id(13, "办公室主任")
    near = _post(p, "weibo_rebuttal", ACCOUNTS[other], other, date(2023, 11, 9), 11, "转发辟谣，请大家不信谣、不传谣",
                 quote={"id": rebuttal, "author_uid": COUNTY_ACCOUNT, "author_name": "清河发布", "text": rebuttal_text},
                 counts=(40, 2, 15))
    p.near_misses["weibo_rebuttal"] = {
        "title": "干部转发官方辟谣", "message_ids": [near], "context_message_ids": [rebuttal], "must_not_flag": True,
        "not_category": Category.RUMOUR,
        "note": "a repost of the official rebuttal; the rumour's words are only quoted",
    }


def moments_article(p: Planter) -> None:
    """Seed case 3 in the 朋友圈: the deputy police chief shares an article with his own comment."""
    official = official_id(15, "副局长", 0)
    conversation = f"moments:{official}"
    p.say("moments", when(date(2023, 10, 2), 18, 5), conversation, official, "国庆带孩子去爬了山，天气真好", "post",
          extra=_facts(12, 3, 0))
    article = {"title": "如何看待近期的若干政策调整？一文读懂", "url": "https://mp.weixin.qq.com/s/Qx7dEmoArticle01"}
    comment = p.say("moments_article", when(date(2023, 10, 19), 21, 40), conversation, official,
                    f"这篇文章说得透，我看就是{PLACEHOLDER_TERM}，大家看看", "repost",
                    extra={**_facts(38, 11, 0), "quote": orjson.dumps(article).decode()})
    p.cases["moments_article"] = {
        "seed_case": 3, "title": "公安局副局长在朋友圈转发文章并发表评论", "person_id": official,
        "message_ids": [comment], "article": article, "term": PLACEHOLDER_TERM,
        "expected": {"category": Category.POLITICAL, "detectors": ["lexicon"], "rule_ids": ["TJ-02"],
                     "note": "the term list is organisation-supplied: flagged once the organisation lists the term"},
    }
