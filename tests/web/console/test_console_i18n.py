"""The catalogues: every message of the console has a Chinese translation; committed .mo files are current."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from redline.web.console import locale_build


def _po(language: str) -> dict[str, str]:
    with locale_build.po_path(language).open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_every_message_is_translated_to_chinese() -> None:
    extracted = locale_build.extracted()
    assert len(extracted) > 150
    zh = _po("zh_CN")
    assert [m for m in extracted if not zh.get(m)] == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_committed_mo_matches_po(language: str) -> None:
    mo = locale_build.po_path(language).with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = {str(m.id): str(m.string) for m in read_mo(handle) if m.id}
    assert compiled == {k: v for k, v in _po(language).items() if v}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_catalogue_holds_only_extracted_messages(language: str) -> None:
    # a message the extractor does not see (a value shown with _(value) but never marked N_)
    # would be dropped the next time the catalogues are rebuilt
    assert sorted(set(_po(language)) - set(locale_build.extracted())) == []
