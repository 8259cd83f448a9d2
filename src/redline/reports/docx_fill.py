"""Filling `{{name}}` placeholders in a Word document, keeping the template's formatting.

Word splits text into runs wherever formatting or editing history changes, so a placeholder
typed in Word may span several runs ("{{per" + "son}}"). Each replacement is written into the
run where its placeholder starts and the rest of the placeholder is cut from the runs it
spans: every other run keeps its own formatting. A list value fills a paragraph holding only
its placeholder with one copy of that paragraph per item; inside other text a list is joined
with "；".
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

from docx import Document
from docx.text.paragraph import Paragraph

from redline.errors import ConfigError

PLACEHOLDER: Final = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# what XML 1.0 cannot hold (a message may carry control characters): dropped from values
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
Value = str | Sequence[str]


def _paragraphs(document: object) -> Iterator[Paragraph]:
    """Every paragraph: body, tables (nested too), headers and footers."""
    def walk(container: object) -> Iterator[Paragraph]:
        yield from container.paragraphs  # type: ignore[attr-defined]
        for table in getattr(container, "tables", ()):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)
    yield from walk(document)
    for section in document.sections:  # type: ignore[attr-defined]
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def placeholders(path: Path | bytes) -> set[str]:
    """The placeholder names a document holds."""
    document = Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    return {m.group(1) for p in _paragraphs(document) for m in PLACEHOLDER.finditer(p.text)}


def _replace_in_runs(paragraph: Paragraph, values: Mapping[str, str]) -> None:
    runs = paragraph.runs
    texts = [r.text for r in runs]
    joined = "".join(texts)
    matches = list(PLACEHOLDER.finditer(joined))
    # from the last match backwards, so earlier offsets stay valid
    for match in reversed(matches):
        start, end, value = match.start(), match.end(), values[match.group(1)]
        offset = 0
        first = True
        for i, text in enumerate(texts):
            lo, hi = offset, offset + len(text)
            offset = hi
            if hi <= start or lo >= end:
                continue
            cut_from, cut_to = max(start, lo) - lo, min(end, hi) - lo
            texts[i] = text[:cut_from] + (value if first else "") + text[cut_to:]
            first = False
    for run, text in zip(runs, texts, strict=True):
        if run.text != text:
            run.text = text


def _expand(paragraph: Paragraph, name: str, items: Sequence[str], values: Mapping[str, str]) -> None:
    """Replace a paragraph that holds only {{name}} with one copy per item."""
    anchor = paragraph._p
    for item in items or ("—",):
        clone = copy.deepcopy(anchor)
        anchor.addprevious(clone)
        _replace_in_runs(Paragraph(clone, paragraph._parent), {**values, name: item})
    anchor.getparent().remove(anchor)


def fill(template: Path | bytes, values: Mapping[str, Value]) -> bytes:
    """The .docx bytes of `template` with every placeholder filled; ConfigError naming any
    placeholder `values` does not know (a customised template that asks for more)."""
    try:
        document = Document(io.BytesIO(template) if isinstance(template, bytes) else str(template))
    except Exception as exc:
        raise ConfigError(f"the letter template is not a readable .docx: {exc}") from exc
    unknown = {m.group(1) for p in _paragraphs(document) for m in PLACEHOLDER.finditer(p.text)} - set(values)
    if unknown:
        raise ConfigError(f"the letter template has placeholders Redline does not fill: {', '.join(sorted(unknown))}")
    values = {k: _NOT_XML.sub("", v.replace("\r\n", "\n").replace("\r", "\n")) if isinstance(v, str)
              else [_NOT_XML.sub("", i.replace("\r\n", "\n").replace("\r", "\n")) for i in v] for k, v in values.items()}
    flat = {k: v if isinstance(v, str) else "；".join(v) for k, v in values.items()}
    seen: set[int] = set()
    for paragraph in list(_paragraphs(document)):
        if id(paragraph._p) in seen:  # a merged table cell is listed once per grid column it spans
            continue
        seen.add(id(paragraph._p))
        text = paragraph.text
        if not PLACEHOLDER.search(text):
            continue
        alone = PLACEHOLDER.fullmatch(text.strip())
        if alone and not isinstance(values[alone.group(1)], str):
            _expand(paragraph, alone.group(1), values[alone.group(1)], flat)
        else:
            _replace_in_runs(paragraph, flat)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
