"""The shared words of reason sentences: money, periods, payment kinds, relations, id lists."""

from __future__ import annotations

import pytest

from redline.reasons.words import (
    kinds_en,
    kinds_zh,
    period_en,
    period_zh,
    person_label,
    quote_ids,
    quote_ids_en,
    role_en,
    role_zh,
    yuan,
)


@pytest.mark.parametrize(("fen", "text"), [(420_000, "4,200.00"), (1, "0.01"), (88_800, "888.00"),
                                           (123_456_789, "1,234,567.89")], ids=["4200", "fen", "888", "millions"])
def test_yuan_has_two_decimals_and_separators(fen: int, text: str) -> None:
    assert yuan(fen) == text


def test_sentence_parts() -> None:
    a, b = "2016-03-01", "2016-08-10"
    assert (period_zh(a, b), period_zh(a, a)) == ("在 2016-03-01 至 2016-08-10 期间", "于 2016-03-01 ")
    assert (period_en(a, b), period_en(a, a)) == ("between 2016-03-01 and 2016-08-10", "on 2016-03-01")
    assert (kinds_zh(["red_packet"] * 21, 21), kinds_zh(["transfer", "gift_card"], 2)) == ("红包 21 个", "款项 2 笔")
    assert (kinds_en(["gift_card"], 1), kinds_en(["red_packet", "red_packet"], 2)) == ("1 gift card", "2 red packets")
    assert (role_zh("managed", False, True), role_zh(None, False, True)) == ("管理服务对象", "外部人员，未登记关系")
    assert (role_en(None, True, False), role_en("supplier", False, False)) == ("official, no relation listed", "supplier")
    assert (person_label("p1", "张三"), person_label("p1", None)) == ("张三(p1)", "p1")


@pytest.mark.parametrize(("n", "zh", "en"), [
    (2, "m1、m2", "m1, m2"),
    (7, "m1、m2、m3、m4、m5 等 7 项", "m1, m2, m3, m4, m5 and 2 more"),
], ids=["all", "truncated"])
def test_id_lists_quote_five_and_count_the_rest(n: int, zh: str, en: str) -> None:
    ids = [f"m{i}" for i in range(1, n + 1)]
    assert (quote_ids(ids), quote_ids_en(ids)) == (zh, en)
