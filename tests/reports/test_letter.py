"""The 谈话函询 letter: the template's placeholders filled from the case, the real name only
after a reveal in this case, nothing left unfilled, A4; placeholders split across Word runs."""

from __future__ import annotations

import io
import itertools
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import ConfigError
from redline.reports import letter
from redline.reports.docx_fill import PLACEHOLDER, fill, placeholders
from redline.reports.letter_template import DEFAULT_TEMPLATE, write_default_template
from redline.review.accounts import Actor, Role
from redline.review.decisions import decide
from redline.review.identity import load_masker, reveal
from redline.review.sample import REAL_SECRETS, load_sample
from redline.store.db import migrate
from redline.store.tables.review import Alert

INV = Actor("inv", Role.INVESTIGATOR)
TODAY = date(2026, 12, 7)
PACKS = Path(letter.__file__).parent.parent / "packs"


def _text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def case(tmp_path: Path) -> tuple[Engine, int]:
    engine = migrate(f"sqlite:///{tmp_path / 'l.db'}")
    load_sample(engine)
    with Session(engine) as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.person_id == "p-zhangwei")))
    case_id = decide(engine, INV, ids, "escalate", reason="张伟收受红包")
    assert case_id is not None
    return engine, case_id


def test_the_shipped_template_is_the_generators_and_asks_for_every_field(tmp_path: Path) -> None:
    assert placeholders(DEFAULT_TEMPLATE) == set(letter.FIELDS)
    assert placeholders(write_default_template(tmp_path / "t.docx")) == set(letter.FIELDS)


def test_the_letter_is_filled_from_the_case_with_the_pseudonym(case: tuple[Engine, int]) -> None:
    engine, case_id = case
    masker = load_masker(engine, b"k" * 32)
    drafted = letter.draft(engine, case_id, masker, None, today=TODAY)
    text = _text(drafted.body)
    assert not PLACEHOLDER.search(text)
    assert "{{" not in text
    assert "}}" not in text
    assert f"〔2026〕第{case_id}号" in text
    assert f"{masker.pseudonym('p-zhangwei')}同志：" in text
    # the rules broken, each quoting the pack's own wording
    for pack, rule_id in (("tianjin-2017", "TJ-06"), ("zhejiang-2017", "ZJ-09")):
        shipped = yaml.safe_load((PACKS / f"{pack}.yaml").read_text(encoding="utf-8"))
        wording = next(r["text"] for r in shipped["rules"] if r["id"] == rule_id).strip()
        assert f"》{rule_id}：“{wording}”" in text
        assert f"《{shipped['title']}》{rule_id}" in text
    assert "（一）《" in text  # the rules are numbered as a letter numbers its items
    assert "（二）《" in text
    # the matters' dates and the span; the deadline counted in working days
    # each matter dated by its evidence: the posted ID number on 2 March, the offer and the five
    # packets from 3 to 7 March (CST)
    assert "（一）2026年3月2日，" in text
    assert "（二）2026年3月3日至3月7日，" in text
    assert "一、反映的问题（2026年3月2日至3月7日）" in text
    assert "收到本函之日起15个工作日内" in text
    assert "今日送达的，为2026年12月28日前" in text  # 15 working days after Monday 7 December 2026
    assert "2026年12月7日" in text
    assert drafted.named is False
    assert drafted.n_rules >= 2
    for secret in REAL_SECRETS:
        assert secret not in text, secret
    document = docx.Document(io.BytesIO(drafted.body))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (stored in twips)


def test_the_real_name_only_after_a_reveal_in_this_case_by_the_drafter(case: tuple[Engine, int]) -> None:
    engine, case_id = case
    masker = load_masker(engine, b"k" * 32)
    # a reveal with no case, or for another case, or by someone else, does not count
    reveal(engine, INV, "p-zhangwei", "核实身份以便函询")
    reveal(engine, INV, "p-zhangwei", "另案需要核实", case_id + 1)
    reveal(engine, Actor("inv2", Role.INVESTIGATOR), "p-zhangwei", "核实身份以便函询", case_id)
    assert letter.revealed_in_case(engine, "inv", "p-zhangwei", case_id) is None
    reveal(engine, INV, "p-zhangwei", "核实身份以便函询", case_id)
    who = letter.revealed_in_case(engine, "inv", "p-zhangwei", case_id)
    assert who is not None
    assert who.name == "张伟"
    text = _text(letter.draft(engine, case_id, masker, who, today=TODAY).body)
    assert "张伟同志：" in text
    assert masker.pseudonym("p-zhangwei") not in text  # the subject by name throughout
    assert "王建国" not in text  # the others stay masked
    assert "13812345678" not in text


def test_an_organisations_template_with_an_unknown_placeholder_is_refused(case: tuple[Engine, int], tmp_path: Path) -> None:
    engine, case_id = case
    document = docx.Document()
    document.add_paragraph("{{person}}：请于{{deadline}}说明。签发人：{{signer}}")
    path = tmp_path / "org.docx"
    document.save(str(path))
    with pytest.raises(ConfigError, match="signer"):
        letter.draft(engine, case_id, load_masker(engine, b"k" * 32), None, path)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="readable"):
        letter.draft(engine, case_id, load_masker(engine, b"k" * 32), None, bad)


# ---- filling, whatever Word did to the runs ----

@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(1, 40), max_size=6, unique=True),
       value=st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"), max_size=12))
def test_a_placeholder_split_across_runs_is_filled_and_the_rest_kept(cuts: list[int], value: str) -> None:
    text = "致{{person}}同志，于{{date}}前。"
    bounds = [0, *sorted(c for c in cuts if c < len(text)), len(text)]
    document = docx.Document()
    paragraph = document.add_paragraph()
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            paragraph.add_run(text[lo:hi]).bold = lo == 0  # formatting differs between runs
    buffer = io.BytesIO()
    document.save(buffer)
    out = docx.Document(io.BytesIO(fill(buffer.getvalue(), {"person": value, "date": "12月7日"})))
    assert out.paragraphs[0].text == f"致{value}同志，于12月7日前。"
    assert out.paragraphs[0].runs[0].bold is True


def test_a_list_alone_in_its_paragraph_becomes_one_paragraph_each_and_inline_is_joined() -> None:
    document = docx.Document()
    document.add_paragraph("前")
    document.add_paragraph("{{rules}}", style="List Number")
    document.add_paragraph("共：{{rules}}")
    buffer = io.BytesIO()
    document.save(buffer)
    out = docx.Document(io.BytesIO(fill(buffer.getvalue(), {"rules": ["甲", "乙", "丙"]})))
    assert [p.text for p in out.paragraphs] == ["前", "甲", "乙", "丙", "共：甲；乙；丙"]
    assert {p.style.name for p in out.paragraphs[1:4]} == {"List Number"}


@pytest.mark.parametrize(("first", "last", "shown"), [
    (date(2023, 12, 27), date(2023, 12, 27), "2023年12月27日"),
    (date(2023, 9, 3), date(2023, 12, 27), "2023年9月3日至12月27日"),
    (date(2023, 12, 30), date(2024, 1, 2), "2023年12月30日至2024年1月2日"),
])
def test_a_period_never_repeats_itself(first: date, last: date, shown: str) -> None:
    assert letter.period(first, last) == shown


@pytest.mark.parametrize(("value", "shown"), [("a\x00b\x1fc", "abc"), ("一\r\n二\r三", "一\n二\n三"), ("\ud800x", "x")])
def test_characters_xml_cannot_hold_are_dropped_and_line_breaks_kept(value: str, shown: str) -> None:
    document = docx.Document()
    document.add_paragraph("{{person}}")
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx.Document(io.BytesIO(fill(buffer.getvalue(), {"person": value}))).paragraphs[0].text == shown


@pytest.mark.parametrize(("n", "shown"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"), (100, "100")])
def test_items_are_numbered_in_chinese(n: int, shown: str) -> None:
    assert letter.cn_number(n) == shown


def test_placeholders_in_merged_cells_headers_and_tables_are_filled() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.paragraphs[0].text = "{{rules}}"
    table.cell(1, 1).paragraphs[0].text = "编号{{case_number}}"
    document.sections[0].header.paragraphs[0].text = "{{person}}（密）"
    buffer = io.BytesIO()
    document.save(buffer)
    out = fill(buffer.getvalue(), {"rules": ["甲", "乙"], "case_number": "7", "person": "人员-1"})
    assert placeholders(out) == set()
    result = docx.Document(io.BytesIO(out))
    assert [p.text for p in result.tables[0].cell(0, 0).paragraphs] == ["甲", "乙"]
    assert result.tables[0].cell(1, 1).text == "编号7"
    assert result.sections[0].header.paragraphs[0].text == "人员-1（密）"
