"""Hand-written chat lines that share an ad's cues without selling anything (training negatives).

- Contact talk: in the ads of every source, 私聊 / 加微信 / 联系我 go with goods and prices; in
  our corpus no message that breaks no rule says 私聊 at all, so a model trained on them read
  the phrase alone as an ad (1.3.0's first fit scored 加我微信私聊 0.99). Work groups say it
  every day: to send a file, settle a roster, discuss a case.
- Money talk: an amount with 元 is a price in every ad, so the first fit also read payment
  records and money matters as ads (转账126.29元 0.78 in the demo county). Chat names
  amounts all the time: transfers, red packets, reimbursements, AA bills, fees, fines.
Written for Redline by the developer of `clf.promotion` in December 2026 (no line copied from
a data set, a pack's examples or the demo county); they join the training rows as negatives
of their own source, `non_ads`.
"""

from __future__ import annotations

from typing import Final

CONTACT: Final[tuple[str, ...]] = (
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


MONEY: Final[tuple[str, ...]] = (
    "转账88.00元",
    "[转账]已收款 300.00元",
    "微信转账 1,250.00元，请确认收款",
    "已收到你的转账 45.5元",
    "红包 20元",
    "[红包]恭喜发财，大吉大利",
    "收到红包 6.66元",
    "领取了你的红包",
    "AA收款：每人 68.5元",
    "昨晚聚餐一共720元，AA每人60元，转我就行",
    "差旅费报销 1836元，单据已交财务",
    "上月话费补贴200元已发放到工资卡",
    "党费每月按工资的百分之一交，本月是45元",
    "工会会费 12元/月，从工资里扣",
    "违停罚款200元，扣3分",
    "物业费每平米1.5元，一年一交",
    "加班餐标准每人25元，超出自理",
    "这次培训费每人800元，由单位统一支付",
    "预算还差三万二，下周再报",
    "油费报销上限每月500元",
    "电费 326.4元 已代缴",
    "水费 48.7元 已扣款",
    "房租3500元已转，收据发我一下",
    "给王老师随礼200元，大家自愿",
    "捐款名单：张三100元，李四50元",
    "医保报销了1300多，剩下自费",
    "扣款成功 19.9元",
    "还款提醒：本期应还2300元",
    "收款到账 88元",
    "退款 56.80元 已原路退回",
    "停车费一天10元，单位不报",
    "午饭15元一份，食堂刷卡",
    "这个月加班费算下来620元",
    "车票改签手续费12元",
    "快递到付23元，谁的快递谁付一下",
    "订会议室押金500元，会后退还",
    "体检自费项目80元，自愿参加",
    "打车38元，发票我贴报销单上了",
    "今年的取暖补贴每人1200元",
    "班费还剩137.5元，账目发群里了",
)


def negatives() -> list[str]:
    """The lines above (raw; the recipe normalises them)."""
    return list(CONTACT) + list(MONEY)
