"""Building the console's gettext catalogues: extract messages, merge translations, compile .mo.

Run `python -m redline.web.console.locale_build` after changing a template; the .po files are
the source of truth for translations and the compiled .mo files are committed next to them.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from redline.web.console.state import HERE, LOCALE_DIR

METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None}


def extracted() -> list[str]:
    """Every message id used by the templates and Python modules of the console."""
    ids = {
        message for _file, _line, message, _comments, _context in extract_from_dir(
            str(HERE), METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {"extensions": ""}})
        if isinstance(message, str)
    }
    return sorted(ids)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def compile_mo(language: str) -> bytes:
    """The .mo bytes of a language's .po file."""
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update(language: str, translations: dict[str, str] | None = None) -> list[str]:
    """Merge extracted ids into the .po (keeping translations), write .po and .mo; returns untranslated ids."""
    path = po_path(language)
    old: dict[str, str] = {}
    if path.exists():
        with path.open("rb") as handle:
            old = {str(m.id): str(m.string) for m in read_po(handle, locale=language) if m.id}
    catalog = Catalog(locale=language, project="redline-console", charset="utf-8")
    missing = []
    for message in extracted():
        text = (translations or {}).get(message) or old.get(message, "")
        catalog.add(message, text)
        if not text:
            missing.append(message)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    path.with_suffix(".mo").write_bytes(compile_mo(language))
    return missing


if __name__ == "__main__":
    for lang in ("zh_CN", "en"):
        left = update(lang)
        if lang == "zh_CN" and left:
            raise SystemExit(f"untranslated in zh_CN: {', '.join(left)}")
