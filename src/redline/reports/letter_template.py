"""The default 谈话函询 letter template (函询通知书), written with python-docx.

The shipped `templates/tanhua_hanxun.docx` is this function's output; an organisation copies
it, puts in its own name and wording in Word, and sets `REDLINE_LETTER_TEMPLATE` to the copy.
Placeholders are `{{name}}`; `reports.letter.FIELDS` says what each one becomes. A placeholder
alone in its paragraph that stands for a list (`{{matters}}`, `{{rules}}`) becomes one
paragraph per item, in that paragraph's style.

Layout after the national standard for official documents (GB/T 9704): A4, 仿宋 三号 body,
小标宋 二号 title, 28 mm top and 26 mm side margins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

DEFAULT_TEMPLATE: Final = Path(__file__).with_name("templates") / "tanhua_hanxun.docx"
BODY_FONT: Final = "仿宋_GB2312"
TITLE_FONT: Final = "方正小标宋简体"


def _east_asian(element: object, font: str) -> None:
    # python-docx sets only the Latin font names; Chinese text follows w:eastAsia
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(document: object, text: str, *, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = True,
          size: float | None = None, font: str | None = None) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if font:
        run.font.name = font
        _east_asian(run._element, font)
    return paragraph


def write_default_template(path: Path) -> Path:
    """Write the default letter template to `path`."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size, normal.font.name = Pt(16), BODY_FONT
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        footer = section.footer.paragraphs[0]
        footer.text = "草稿：由红线系统根据案件 {{case_number}} 生成，发出前须经审核、签批。"
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "中共＿＿＿＿纪律检查委员会", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(document, "函询通知书", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=22, font=TITLE_FONT)
    _para(document, "〔{{year}}〕第{{case_number}}号", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(document, "{{person}}同志：", indent=False)
    _para(document, "根据《中国共产党纪律检查机关监督执纪工作规则》有关规定，经批准，现就反映你的有关问题"
                    "向你函询。请你本着对组织忠诚老实的态度，对下列问题逐项作出书面说明，本人签名后于"
                    "{{deadline}}交本委。")
    _para(document, "一、反映的问题（{{period}}）")
    _para(document, "{{matters}}")
    _para(document, "二、涉及的规定")
    _para(document, "{{rules}}")
    _para(document, "三、有关要求")
    _para(document, "说明材料应当实事求是、内容具体，涉及的时间、地点、人员、金额应当写明；"
                    "对反映不实的问题，可一并提供证明材料。如实说明问题的，可以从轻处理；"
                    "对组织不如实说明情况的，依规依纪严肃处理。")
    _para(document, "")
    _para(document, "中共＿＿＿＿纪律检查委员会", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(document, "{{date}}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(document, "（承办人：{{owner}}）", indent=False, size=14)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    write_default_template(DEFAULT_TEMPLATE)
