"""Hand-written work-chat lines that ask to be contacted without selling anything (training negatives).

In the ads of every source, 私聊 / 加微信 / 联系我 go with goods and prices; in our corpus no
message that breaks no rule says 私聊 at all, so a model trained on them reads the phrase
alone as an ad (1.3.0's first fit scored 加我微信私聊 0.99). Work groups say it every day: to
send a file, settle a roster, discuss a case. Written for Redline by the developer of
`clf.promotion` in December 2026 (no line copied from a data set or from a pack's examples);
they join the training rows as negatives of their own source, `contact_talk`.
"""

from __future__ import annotations

from typing import Final

LINES: Final[tuple[str, ...]] = (
    "材料有问题的私聊我，别在群里刷屏",
    "报名表填错的同志私聊我改一下",
    "具体情况私聊，群里不方便说",
    "谁有老李的电话？私聊发我一下",
    "值班表要调的私聊我",
    "这个案子的细节我们私聊",
    "加我微信，我把会议材料发你",
    "新来的同事加一下我微信，方便通知",
    "有事打我电话，微信也行",
    "电话联系不上的话微信留言",
    "请各村联络员加我微信，拉个工作群",
    "需要模板的私信我，我发邮箱",
    "想参加培训的同事私聊报名字",
    "不清楚流程的可以私聊问我",
    "车钥匙在我这，需要用车的联系我",
    "今晚加班的同事联系我订餐，单位报销",
    "资料我私聊发你了，注意查收",
    "有意见的私聊我，会上再统一说",
    "明天的接待方案，私聊你看看",
    "会议室要用的提前联系我登记",
    "账号密码私聊给你，别发群里",
    "这事不方便群里讲，你加我微信",
    "我微信号就是手机号，有事直接加",
    "快递到了的私聊我，帮你们拿上来",
    "志愿者排班有冲突的私聊调整",
    "防汛值守的同志保持电话畅通，有情况随时联系",
    "走访名单私聊发各组长",
    "需要开证明的联系我，带上身份证",
    "你先加我微信，图片发我看看",
    "问卷链接私聊发你，帮忙填一下",
    "体检结果出来了，需要的私聊我要",
    "谁的工牌丢了，私聊我认领",
    "这个数据口径有疑问的私聊我",
    "群里说不清楚，晚点电话联系",
    "报销单据不全的私聊补齐",
    "请假的同事提前私聊我说一声",
    "考勤有误的加我微信核对",
    "周末值班换班的私下联系我",
    "有需要协调的事项直接联系办公室",
    "我把联系方式私聊发你，你跟对方对接",
)


def negatives() -> list[str]:
    """The lines above (raw; the recipe normalises them)."""
    return list(LINES)
