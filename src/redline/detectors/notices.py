"""A term quoted by a rule reminder or a topic name is not the thing itself.

"严禁在微信群传送机密文件" and "关于加强涉密文件管理的通知" name a term to forbid it or to name a
field of work; "这是机密文件" uses it. Work groups are full of such reminders, and a lead on
each would teach reviewers to ignore the rule. Hits of the term detectors (lexicon,
secret_marks) are dropped when, in the same clause, a prohibition word of a notice (严禁,
禁止, 不得, 请勿 …) comes shortly before the term, or a topic word (管理, 培训, 检查 …) follows
it directly. Everyday 不要 / 别 do not count: "不要告诉别人，这是机密文件" is a leak, and so is
"别外传这份机密文件" (the marker 外传 words are terms of their own). Punctuation between two
汉字 is gone in the normalised text (so that 机。密 reads 机密), so a clause break is seen only
next to other characters; otherwise the distance (REACH) decides.

Some messages are notices as a whole, wherever the term sits: a rebuttal (网传…系谣言, 不信谣
不传谣, …的消息不实), a report of a case handled (查处, 破获, 被给予警告处分), a warning (谨防,
如发现…请举报, 派出所提醒), an instruction for correct handling (请到机要室签字领取, 阅后交回), a
training announcement, a question whether something is allowed (算不算), a refusal told
(我直接拒绝了). A genre word is the act's own wording, never a word a violation uses too
(not 处分: 传出去要挨处分; not 拒绝: 他拒绝了，换成购物卡再送; not 别信: 官方说的别信).
Every term hit within GENRE_REACH characters of such a GENRE word, in its row, is dropped:
the whole of a chat message, a passage of a long document (one literal pass per batch, shared
like the prohibition pass). A secret level (机密★) is the document's own and stays. And a term followed by a place or works suffix is a name, not
the thing (风水坡, 红包厂: PLACE_SUFFIXES), and so is one followed by a business's or a
village's name (牛牛农业合作社, 斗牛场村: TOPICS). `quoted_mask` is the same judgement as a mask
(the cue detectors ask it of each cue before a context word widens the span), and
`in_notice` asks only the genre question, for a model's lead (clf.conduct).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.contracts import HitColumns
from redline.detectors.matchers import LiteralMatcher
from redline.text.joined import JoinedText
from redline.text.normalize import normalize_text

PROHIBITIONS: Final = (
    "严禁", "禁止", "不得", "不准", "请勿", "切勿", "杜绝", "警惕", "谨防", "防范", "抵制", "严防", "打击",
    "不搞", "唔搞",  # 不搞拉票贿选 / 唔搞拉票 (Cantonese): a pledge or a programme's title
    # not 防止 (防止被纪委查到，机密文件看完就删 evades), not 所谓 (无所谓，购物卡照收), not 反对
    # (一起反对新政策 is a faction's plan): everyday words before the act; see GENRES 坚决防止
)
TOPICS: Final = (
    "管理", "工作", "培训", "检查", "制度", "规定", "办法", "知识", "教育", "宣传", "专项", "整治", "诈骗",
    "债券", "市场", "融资",  # 股票、债券 / 股票市场 / 股票融资: a field of the economy, not chat
    "中心",  # 彩票中心门口: a place named by the term
    # a business or a fund named by the term (牛牛农业合作社, 牛牛餐饮连锁, 彩票公益金) and a
    # village (斗牛场村): gazetteer cues, read as the two characters after the term
    "农业", "餐饮", "公司", "合作", "连锁", "集团", "协会", "公益", "场村", "广场", "大厦",
    # not 超市: 购物卡超市通用 is the card itself
    "发展", "取暖",  # 抱团发展, 抱团取暖: firms and villages working together, no faction
    # 股票期权, 股票质押: tax and finance, not chat on the market; not 转让 (收的购物卡转让，八五折
    # sells a gift), 股票转让 in a report is official prose (lexicon `official_prose: false`)
    "期权", "质押",
)
GENRES: Final = (
    # a rebuttal says the rumour is false (辟谣); not 是谣言, which 不是谣言 ("it's true") contains
    "系谣言", "纯属谣言", "属于谣言", "不信谣", "不传谣", "辟谣", "不实信息", "虚假信息", "谣言止于",
    # …的消息不实 / 系谣(言) / 说法是谣言 / 纯属捏造 / 经核实为 / 以官方通报为准: the rebuttal's verdict
    "不实", "不属实", "系谣", "说法是谣", "消息是谣", "消息是假", "假消息", "纯属捏造", "纯属编造",
    "与事实不符", "是造谣", "没有科学依据", "无科学依据", "经核实", "经核查", "已核实", "以官方", "别当真",
    # telling everyone not to believe it, not 别信 alone ("官方说的别信，我亲戚亲眼看到的" spreads one)
    "大家莫信", "大伙儿莫信", "莫信网上", "莫信那些", "编的莫信", "大家别信", "别信网上", "别信那些",
    "广告别信", "谣言别信", "是瞎传", "从未发布",
    "官方发布",  # 医院官方发布的…通知，请大家转发: an official text passed on, not a rumour
    # reports of cases handled (案件通报)
    "查处", "破获", "抓获", "依法处理", "依法查处", "依法打击", "通报批评", "给予处分", "党纪处分", "政务处分",
    "立案调查", "移送司法", "警示教育", "典型案例", "以案促改", "以案为鉴", "落马",
    # not 被查 alone: "不会被查", "明天要被查账", "已经被查了" are a game's promise, a tip-off, a rumour
    # the sanction a report names (…被给予党内警告处分, 被取消候选人资格, 已被立案审查)
    # the sanction named, not 处分 alone ("传出去要挨处分，看完就删" is a leak)
    "警告处分", "记过处分", "降级处分", "撤职处分", "开除处分", "察看处分", "纪律处分", "被给予", "党内警告", "严重警告", "撤职", "降级", "免职", "诫勉", "开除党籍", "开除公职",
    "被开除", "立案审查", "审查调查", "被取消", "取消候选人资格", "取消提拔", "取消资格", "严肃处理",
    "追责", "纪委通报", "典型问题", "调整岗位", "被处理", "已立案", "已经立案",  # not 立案 alone: 不予立案
    # warnings and calls to report (提醒, 举报)
    "谨防", "提醒大家", "温馨提示", "特别提醒", "郑重提醒", "警方提醒", "防骗", "反诈", "防诈", "诈骗", "骗局",
    "如发现", "请举报", "欢迎举报", "举报电话", "举报邮箱", "一经发现", "一经查实", "坚决反对", "坚决杜绝",
    "消费提示", "消费警示", "破除迷信", "相信科学", "规范引导", "合法权益",
    # an office's warning (市场监管局提醒：微商销售的三无产品…请勿购买), not everyday 提醒一下
    "局提醒", "所提醒", "中心提醒", "队提醒", "风险提示", "请勿购买", "提高警惕",
    # the voice of a rule or a report: 违规 + the act, 换届纪律 (nobody doing it calls it so)
    "违规收受", "违规收送", "违规接受", "违规参加", "违规操办", "违规发放", "违规吃喝", "换届纪律",
    "重申",  # 重申严禁收受…: a notice restating a rule
    "坚决防止", "防止和克服", "科学就医",  # 坚决防止和克服拉帮结派; 维护科学就医秩序
    "不正之风", "属于泄密",  # 整治收受“红包”、回扣等不正之风; 复制到AI助手里润色，这也属于泄密
    # a question whether something is allowed (算不算搞小圈子？能不能收？) asks for the rule
    "算不算", "算违规", "违规吗", "是否违规", "有规定吗", "能不能收", "会不会被认为",
    # correct handling (正确处置)
    # the room where secrets are read or fetched (到机要室签字领取), not any mention of it: "机要室
    #那份还没下发的任免通知，我签收的时候顺手拍了一张" is a leak; a gift sent back (已退回,
    # 退回去了), not a document returned for rework (材料又退回来了)
    "签字领取", "到机要室", "在机要室", "机要室阅", "机要室签", "机要室领", "保密室", "一律上交", "主动上交",
    "如数上交", "登记上交", "拒收", "已退回", "经退回", "当场退回", "原封退回", "退回了",
    # a gift sent back (退回去了, 给他退回去, 一律退回去); not 退回去 alone: a form sent back to
    # the public is shirking (申请材料我已经退回去三次了…就是不想办, 填错了退回去重来)
    "退回去了", "给他退回去", "请退回去", "一律退回去", "全部退回去", "当场退回去", "不动退回去",
    "规定退回去", "流程退回去",
    "退还", "婉拒", "谢绝",  # a gift returned or declined (红包已退还) is the rule kept
    "登记领取", "室签收", "机要员", "不得复印", "阅后请", "交回", "统一回收", "编号回收", "保密柜", "专用计算机", "按规定上交", "要不要上交", "已上交", "前上交", "已退给", "经退给", "送回去", "原样退",
    # a refusal told after the fact (我直接拒绝了, 大家也就没凑了, 我马上退了群); not 我说不要
    # (我说不要他放下就走了…收了也没人知道 is the gift kept)
    # the speaker refuses (我拒绝了, 直接拒绝, 怎么拒绝比较得体), not someone else ("他拒绝了，换成购物卡再送")
    "我拒绝", "直接拒绝", "已经拒绝", "被我拒绝", "当场拒绝", "婉言拒绝", "怎么拒绝", "咋个拒绝", "如何拒绝",
    "没凑", "我没进", "我没收", "我没要", "说不需要", "我说不去", "马上退了", "坚决不要", "不要再提",
    # official drives that sell on purpose (消费帮扶: buying a poor county's produce)
    "消费帮扶", "消费扶贫", "电商扶贫",
    # training and study announcements (培训)
    "培训班", "专题培训", "专题讲座", "专题学习", "宣讲会", "知识竞赛", "知识测试",
    "保密培训", "廉洁从业", "廉洁培训", "医德医风",
    # issue 20, other authors' wording of the same genres (data/conduct/authors w1–w3). Each
    # word was checked against a violation that could hold it; the rejected ones are named.
    # A case handled by the police or a sanction (查获, 端掉, 收缴, 带回所里, 被吊销执业证书,
    # 选举结果作废, 当选无效, 留党察看, 点名批评, 解除劳动合同); not 出警 (a police officer's
    # own leak starts 出警的时候…), not 被处分 / 被通报 (看完删了，小心被处分 is a leak's warning),
    # not 吊销 (不交就吊销执照 is a rumour's threat), not 记过 (王书记过不去 holds it), not 窝点
    # (去老窝点玩两把 is the den itself)
    "查获", "端掉", "收缴", "带回所里", "带回派出所", "被吊销", "结果作废", "当选无效",
    "留党察看", "点名批评", "深刻检查", "解除劳动合同", "记过处", "记大过", "取消咗", "责令整改", "依法立案",
    "开除了", "通报上说",  # a report retold in chat (…开除了; 通报上说是收了二十几万)
    # a notice's own voice (一律不得外传, 群规, 关于规范…的通知, 按赌博处理, 一律从严, 点名通报,
    # 根据县纪委…); not 纪委通知 (纪委通知还没发，我先透露一下 leaks it), not 纪委盯着 (最近纪委
    # 盯着，红包私下给), not 不对外 / 不能泄露 (名单还不对外，先给你看 leaks)
    "一律不得", "一律拒绝", "群规", "关于规范", "按赌博", "一律从严", "从严处理", "点名通报",
    "心存侥幸", "这就是贿选", "发现了就举报", "发现就举报", "直接报纪委", "截图也不行",
    "根据县纪委", "根据市纪委", "根据纪委", "以任何名义", "涉密不上网",
    "不搞封建", "不允许上传", "坚决破除", "培训会", "结果已公布",
    # a rebuttal's verdict (已经澄清, 已回应, 引起恐慌); not 是假的 (官方说的是假的 spreads one),
    # not 大家别慌 (大家别慌，内部消息说明天就恢复), not 官方报道 (官方报道不可信…)
    "已经澄清", "已澄清", "已回应", "引起恐慌", "官网公开",
    # handing in or returning a gift (交到镇纪委, 交驻局纪检组, 原路退回, 原样寄回); not 交到
    # alone (the card handed over: 购物卡交到你手上了), not 原封未动 (the card left untouched in
    # the official's drawer), not 寄回 (sent home for the family to use)
    "交到纪委", "交到镇纪委", "交纪委", "交到纪检", "交纪检", "交驻", "交院办", "上交纪检", "已经上交",
    "原封未动交", "当面退回", "原路退回", "全部退回", "原样寄回", "已寄回", "已拒绝", "签字登记",
    # correct handling of files (在政务内网上传, 只能在内网…); not 内网传 (内网传的消息说局长要调走)
    "内网上传", "只能在内网", "内网部署",
    # issue 20, eighth session, from the choice authors' notices (w1–w3, w6, w7, w10–w12, w15,
    # w16): the channels and steps of correct handling, and a case sent on. Each is in no written
    # violation (corpus, m1–m3). Not 在OA / OA上 (在OA上看到的名单，先发给你 leaks what OA holds),
    # not 不拍照 / 加盖 (a faked seal is conduct), not 被留置 (那个被留置的局长交代了谁 spreads a
    # rumour), not 标注 / 撤回 (标注了不得外传，我先转给大家; 看完撤回 is a leak's own instruction)
    "只在OA", "一律走OA", "OA上流转", "OA中阅", "机要通道", "专人取送", "传阅夹", "传阅后签字", "阅后收回",
    "纸质件", "内网传输", "内网查阅", "只在内网", "不复印", "不扫描", "编号管理", "留置调查", "已经移送", "已移送",
    # a gift declined (一律不收, 真的不能收, 唔会收, 咱这儿不兴这个); not 心意领了 (…购物卡我就先收下),
    # not 一分也 (份子钱一分也不能少 demands it), not 不吃了 / 别搞这些 / 不要搞 (饭不吃了，直接转钱;
    # 别搞这些虚的，直接转账), not 报给了 (名单报给了老板)
    "一律不收", "真的不能收", "唔会收", "不兴这个",
    # a refusal or a talk-down told (我说免了, 劝大家别去, 劝住了, 我让他撤回了, 退不掉, 我没答应,
    # 群我退了); not 劝大家 alone (劝大家都投老王), not 没答应 (他没答应，那就多送点), not 我没去 /
    # 冇去 (今天我没去上课 is the conduct itself)
    "我说免了", "劝大家别", "劝大家不要", "劝住了", "让他撤回", "退不掉", "我没答应", "我退了", "不该这么搞",
    # not 我不送 / 不请吃饭 (这次不请吃饭，直接发红包 buys votes)
    # a question whether it is allowed (算福利还是…, 需要申报吗, 这样算拉票吗); not 算拉票
    # alone (这不算拉票，就请大家吃个饭 evades)
    "还是算", "需要申报", "算拉票吗", "边界在哪",
    "请问",  # a formal question to the office (请问…能上传吗)
    # a welfare rule (不发现金和购物卡); not 不发 as a prohibition (补贴不发了, 不发的出局 are
    # a rumour and a red-packet game)
    "不发现金",
    # a refusal told in reported speech (issue 20, w1–w14's refusals: 有人找我拍…我说不行; 俺不同意;
    # 直接回绝; 我提醒他; 票我想投谁投谁; 已向纪委报告); each word is in none of the corpus's 14k
    # violation lines. Not 不能收 (红包不能收，转支付宝), not 心意领了 (心意领了，那我就收下),
    # not 不要送 / 别送了 (不要送现金，送卡), not 不能拍 / 不能透露 (这个不能拍，我口头告诉你)
    "我说不行", "我说不合适", "我说这不合适", "回绝了", "直接回绝", "直接拒了", "我拒了", "我直接拒",
    "向纪委", "报给纪委", "报了纪委", "报了纪检", "是违纪", "违反规定", "坚决不收", "我提醒他",
    "我不参加", "想投谁", "不接受", "还回去了", "还给他", "没同意",
    # a list published by the book (经党委研究后在一定范围内公示, 予以公示); not 公示 alone (下周要公示的
    # 干部名单我先发你看看) and not 公示期 (公示期还没过，名单先发你)
    "范围内公示", "予以公示",
    # issue 20, the same genres in w1–w16's negatives, each in none of the corpus's violation lines
    # (2026-12-08): a rebuttal's verdict (警方已核查, 说法无事实依据), a training (廉政课), a
    # programme's title (专项整治方案), a refusal reported (已报告纪检组, 红包我当场退了); not 已报告
    # (名单已报告上去了 can precede a leak), not 判了 (没看卷就…判了 is the conduct), not 让他走了
    # (没给他测让他走了 lets a drunk driver go)
    "已核查", "无事实依据", "廉政课", "整治方案", "报告纪检", "当场退了",
)
# one character after a term that makes it a place or works name (风水坡, 红包厂, 牛牛村)
PLACE_SUFFIXES: Final = "坡岭村屯厂镇乡湾桥沟寨坪垭坳峪渡堡店站滩山路"  # 彩票店门口, 彩票站旁边, 牛牛滩电站, 红包山水泥厂, 彩票路小学
GENRE_REACH: Final = 60  # characters between a genre word and a hit it cancels (a chat message's length)
REACH: Final = 12  # characters from the end of a prohibition word to the term
TOPIC_GAP: Final = 1  # characters allowed between a term and its topic word (涉密文件的管理); _before_topic assumes 1
_CLAUSE_BREAKS: Final = ".!?;,:。！？；，：\n"
_SHIFT: Final = 21  # a pair of code points as one int64 key: (first << 21) | second


def _pair_keys(words: Sequence[str]) -> npt.NDArray[np.int64]:
    keys = []
    for word in words:
        norm = normalize_text(word)
        assert len(norm) == 2, f"notice words are two characters: {word!r}"  # noqa: S101 - module data
        keys.append((ord(norm[0]) << _SHIFT) | ord(norm[1]))
    return np.array(sorted(keys), dtype=np.int64)


_PROHIBITION_KEYS: Final = _pair_keys(PROHIBITIONS)
_TOPIC_KEYS: Final = _pair_keys(TOPICS)
_IS_BREAK: Final = np.zeros(0x110000, dtype=np.bool_)  # by code point: a table lookup, not isin
_IS_BREAK[[ord(c) for c in _CLAUSE_BREAKS]] = True
_IS_PLACE: Final = np.zeros(0x110000, dtype=np.bool_)
_IS_PLACE[[ord(c) for c in normalize_text(PLACE_SUFFIXES)]] = True


def _member(keys: npt.NDArray[np.int64], sorted_set: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """`np.isin` for a small sorted set (binary search; isin sorts both sides every call)."""
    at = np.minimum(np.searchsorted(sorted_set, keys), len(sorted_set) - 1)
    found: npt.NDArray[np.bool_] = sorted_set[at] == keys
    return found


def drop_notice_hits(
    columns: HitColumns, joined: JoinedText, *, genres: bool | npt.NDArray[np.bool_] = True,
) -> HitColumns:
    """`columns` without the hits that a notice quotes (offsets in the normalised batch `joined`).

    The two code points right after each hit are looked up (numpy); the REACH characters
    before it only in the few rows with a prohibition word, found by one literal pass per
    batch that all term detectors share.
    """
    if not len(columns):
        return columns
    return _take(columns, ~quoted_mask(columns, joined, genres=genres))


def quoted_mask(
    columns: HitColumns, joined: JoinedText, *, genres: bool | npt.NDArray[np.bool_] = True,
) -> npt.NDArray[np.bool_]:
    """True for each hit of `columns` that a notice quotes (what `drop_notice_hits` drops)."""
    if not len(columns):
        return np.zeros(0, dtype=np.bool_)
    cps = joined.codepoints
    row_start, row_end = joined.row_starts[columns.rows], joined.row_ends[columns.rows]
    first, last = row_start + columns.starts, row_start + columns.ends  # absolute [first, last)
    quoted = _before_topic(cps, last, row_end) | _before_place(cps, last, row_end)
    prohibited, genre_at = _notice_rows(joined)
    if np.any(genres) and len(genre_at):  # `genres`: for every hit, or a mask of the hits it applies to
        quoted |= genres & _near_genre(genre_at, np.maximum(first - GENRE_REACH, row_start),
                                       np.minimum(last + GENRE_REACH, row_end))
    near = np.flatnonzero(prohibited[columns.rows])
    if len(near):
        quoted[near] |= _after_prohibition(cps, first[near], row_start[near])
    return quoted


def in_notice(joined: JoinedText, rows: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
              ends: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For hits that are not a term's (a model's lead: [start, end) is its evidence), True where
    a GENRE word lies within GENRE_REACH characters in the row: the message is a notice."""
    if not len(rows):
        return np.zeros(0, dtype=np.bool_)
    _, genre_at = _notice_rows(joined)
    if not len(genre_at):
        return np.zeros(len(rows), dtype=np.bool_)
    row_start, row_end = joined.row_starts[rows], joined.row_ends[rows]
    return _near_genre(genre_at, np.maximum(row_start + starts - GENRE_REACH, row_start),
                       np.minimum(row_start + ends + GENRE_REACH, row_end))


@functools.cache
def _notice_words() -> LiteralMatcher:
    """Prohibition words (ids below len(PROHIBITIONS)) and genre words, one database."""
    return LiteralMatcher([normalize_text(w) for w in (*PROHIBITIONS, *GENRES)])


# The term detectors of a plan all ask about the same batch: one pass for all. One entry,
# compared by identity (it holds the batch, so the id cannot be reused while cached).
_last: tuple[JoinedText, npt.NDArray[np.bool_], npt.NDArray[np.int64]] | None = None


def _notice_rows(joined: JoinedText) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """(rows with a prohibition word, sorted absolute offsets of the genre words) of the batch."""
    global _last
    last = _last
    if last is not None and last[0] is joined:
        return last[1], last[2]
    found = _notice_words().scan(joined)
    prohibited = np.zeros(len(joined), dtype=np.bool_)
    is_genre = found.ids >= len(PROHIBITIONS)
    prohibited[found.rows[~is_genre]] = True
    # genre words as absolute offsets (row start + start in the row): the row boundary is
    # checked with the row of the nearest one
    genre_at = np.sort(joined.row_starts[found.rows[is_genre]] + found.starts[is_genre])
    _last = (joined, prohibited, genre_at)
    return prohibited, genre_at


def _near_genre(
    genre_at: npt.NDArray[np.int64], lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """A genre word starts in [lo, hi): within GENRE_REACH characters of the hit, inside its
    row. A chat message is short, so this is the whole message; in a long document (an
    attachment's text) only the passage around the genre word counts as a notice."""
    at = np.searchsorted(genre_at, lo)
    near: npt.NDArray[np.bool_] = (at < len(genre_at)) & (genre_at[np.minimum(at, len(genre_at) - 1)] < hi)
    return near


def _pairs(cps: npt.NDArray[np.uint32], at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    at = np.clip(at, 0, max(len(cps) - 2, 0))
    return (cps[at].astype(np.int64) << _SHIFT) | cps[at + 1].astype(np.int64)


def _is_break(cps: npt.NDArray[np.uint32], at: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    return _IS_BREAK[cps[np.clip(at, 0, len(cps) - 1)]]


def _after_prohibition(
    cps: npt.NDArray[np.uint32], first: npt.NDArray[np.int64], row_start: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """A prohibition word ends e characters before the hit (0 <= e <= REACH), with no clause
    break in those e characters, inside the same row."""
    e = np.arange(REACH + 1, dtype=np.int64)
    word_at = first[:, None] - e[None, :] - 2  # where a two-character word ending e before starts
    inside = word_at >= row_start[:, None]
    found = inside & _member(_pairs(cps, word_at), _PROHIBITION_KEYS)
    if len(cps) < 2 or not found.any():
        return np.zeros(len(first), dtype=np.bool_)
    # distance of the nearest clause break before the hit (positions first-1, first-2, …)
    d = np.arange(1, REACH + 1, dtype=np.int64)
    breaks = (first[:, None] - d[None, :] >= row_start[:, None]) & _is_break(cps, first[:, None] - d[None, :])
    nearest_break = np.where(breaks.any(axis=1), breaks.argmax(axis=1) + 1, REACH + 1)
    quoted: npt.NDArray[np.bool_] = np.asarray((found & (e[None, :] < nearest_break[:, None])).any(axis=1), dtype=np.bool_)
    return quoted


def _before_topic(
    cps: npt.NDArray[np.uint32], last: npt.NDArray[np.int64], row_end: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """A topic word starts right after the hit, or one character later that is no clause
    break, inside the same row (TOPIC_GAP = 1: three code points gathered per hit)."""
    if len(cps) < 3:
        return np.zeros(len(last), dtype=np.bool_)
    top = len(cps) - 1  # reads past the batch are clipped; the row_end tests discard them
    c0, c1, c2 = (cps[np.minimum(last + k, top)].astype(np.int64) for k in range(3))
    found = _member(np.concatenate([(c0 << _SHIFT) | c1, (c1 << _SHIFT) | c2]), _TOPIC_KEYS)
    right_after, one_later = found[: len(last)], found[len(last):]
    quoted: npt.NDArray[np.bool_] = (right_after & (last + 2 <= row_end)) | (
        one_later & (last + 3 <= row_end) & ~_IS_BREAK[c0])
    return quoted


def _before_place(
    cps: npt.NDArray[np.uint32], last: npt.NDArray[np.int64], row_end: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """The character right after the hit is a place or works suffix (风水坡, 红包厂)."""
    if not len(cps):
        return np.zeros(len(last), dtype=np.bool_)
    after: npt.NDArray[np.bool_] = (last < row_end) & _IS_PLACE[cps[np.minimum(last, len(cps) - 1)]]
    return after


def _take(columns: HitColumns, keep: npt.NDArray[np.bool_]) -> HitColumns:
    if keep.all():
        return columns
    return HitColumns(
        columns.detector, columns.labels, columns.whys, columns.rows[keep], columns.starts[keep],
        columns.ends[keep], columns.label_ids[keep], columns.why_ids[keep], columns.scores[keep],
    )
