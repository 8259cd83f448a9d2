"""Chinese personal names for the demo county: surnames by frequency, one- or two-character given names."""

from __future__ import annotations

from typing import Final

import numpy as np

# The most common surnames with rough relative frequencies (the top ten cover ~40% of people).
_SURNAMES: Final = (
    ("王", 72), ("李", 70), ("张", 66), ("刘", 55), ("陈", 45), ("杨", 32), ("赵", 22),
    ("黄", 22), ("周", 21), ("吴", 20), ("徐", 15), ("孙", 15), ("胡", 13), ("朱", 13),
    ("高", 12), ("林", 11), ("何", 11), ("郭", 11), ("马", 11), ("罗", 9), ("梁", 8),
    ("宋", 8), ("郑", 8), ("谢", 7), ("韩", 7), ("唐", 7), ("冯", 7), ("于", 6), ("董", 6),
    ("萧", 3), ("程", 6), ("曹", 6), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4),
    ("曾", 4), ("彭", 4), ("吕", 4), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 3),
    ("丁", 3), ("魏", 3), ("薛", 3), ("叶", 3), ("阎", 3), ("余", 3), ("潘", 3), ("杜", 3),
    ("戴", 3), ("夏", 3), ("钟", 3), ("汪", 3), ("田", 3), ("任", 3), ("姜", 3), ("范", 3),
    ("方", 3), ("石", 3), ("姚", 3), ("谭", 2), ("廖", 2), ("邹", 2), ("熊", 2), ("金", 2),
    ("陆", 2), ("郝", 2), ("孔", 2), ("白", 2), ("崔", 2), ("康", 2), ("毛", 2), ("邱", 2),
    ("秦", 2), ("江", 2), ("史", 2), ("顾", 2), ("侯", 2), ("邵", 2), ("孟", 2), ("龙", 2),
    ("万", 2), ("段", 2), ("雷", 2), ("钱", 2), ("汤", 2), ("尹", 2), ("黎", 2), ("易", 2),
    ("常", 2), ("武", 2), ("乔", 2), ("贺", 2), ("赖", 1), ("龚", 1), ("文", 1), ("樊", 1),
    ("党", 1), ("屈", 1), ("同", 1), ("雒", 1), ("拓", 1),  # last five: common in Shaanxi
)
SURNAMES: Final = tuple(s for s, _ in _SURNAMES)
_SURNAME_P: Final = np.array([w for _, w in _SURNAMES], dtype=float) / sum(w for _, w in _SURNAMES)

# Given-name characters, split so that names read naturally for both sexes and generations.
_MALE: Final = tuple("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
_FEMALE: Final = tuple("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵")


def draw_names(
    rng: np.random.Generator, n: int, *, female: np.ndarray | None = None, taken: set[str] | None = None,
    surname: str | None = None,
) -> list[str]:
    """Draw `n` distinct full names (not in `taken`, which is updated).

    Two-character given names are the majority (~70%), as among Chinese adults today.
    `female` is an optional boolean array of length n; `surname` fixes the family name
    (children of an official).
    """
    taken = set() if taken is None else taken
    female = rng.random(n) < 0.4 if female is None else female
    out: list[str] = []
    for i in range(n):
        for _ in range(50):  # a handful of redraws is enough; 50 keeps determinism bounded
            family = surname or SURNAMES[rng.choice(len(SURNAMES), p=_SURNAME_P)]
            chars = _FEMALE if female[i] else _MALE
            k = 2 if rng.random() < 0.7 else 1
            given = "".join(chars[j] for j in rng.integers(0, len(chars), size=k))
            name = family + given
            if name not in taken:
                break
        taken.add(name)
        out.append(name)
    return out
