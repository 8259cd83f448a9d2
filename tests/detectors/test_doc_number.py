"""doc_number: 文号 with an issuer or a document word; bare brackets and 3号楼 are not."""

from __future__ import annotations

import pytest

from redline.detectors.doc_number import DocNumberDetector

CASES = [
    ("某政[2019]3号", ["某政[2019]3号"]),
    ("印发（2020）8号通知", ["（2020）8号"]),  # 印发 is the verb, not an issuer: the document word counts
    # a red-header page read line by line: the issuer's name and 文件 above the 文号 are not its 代字
    ("中共某某县委办公室文件\n县委办〔2023〕12号", ["县委办〔2023〕12号"]),
    ("市政办发〔2017〕12号", ["市政办发〔2017〕12号"]),
    ("[2017]第12号文件", ["[2017]第12号"]),
    ("市政办发 〔 2017 〕 12 号", ["市政办发 〔 2017 〕 12 号"]),
    ("市政办发［２０１７］１２号", ["市政办发［２０１７］１２号"]),
    ("(2023)5号", []),  # no issuer, no document word: too weak
    ("会议室在3号楼", []),
    ("（2023）京0105民初12号", []),  # a court case number, not a 文号
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_document_numbers(detect, text: str, expected: list[str]) -> None:
    assert [ev for ev, _ in detect(DocNumberDetector, text)] == expected


def test_without_context_requirement_bare_numbers_are_reported(detect) -> None:
    assert detect(DocNumberDetector, "(2023)5号", {"require_context": False}) == [("(2023)5号", "document number")]
