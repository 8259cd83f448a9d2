"""The case's 谈话函询 letter through the app: investigators only, audited, the pseudonym unless
the investigator revealed the person in this case, the organisation's template when configured."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.cases.conftest import open_case

from redline.reports.docx_fill import PLACEHOLDER
from redline.review.sample import REAL_SECRETS
from redline.settings import Settings
from redline.store.tables.audit import AuditEntry
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _text(body: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)


@pytest.fixture
def app_case(console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path) -> Callable[..., tuple[Any, int, Engine]]:
    url, engine, _ = console_db
    case_id = open_case(engine)

    def _make(template: Path | None = None) -> tuple[Any, int, Engine]:
        return create_console_app(Settings(db_url=url, letter_template_path=template), engine), case_id, engine
    return _make


def _client(app: Any, role: str, passwords: dict[str, str]) -> tuple[TestClient, str]:
    client = TestClient(app)
    reply = client.post("/api/login", json={"username": role, "password": passwords[role]})
    assert reply.status_code == 200, reply.text
    return client, reply.json()["csrf_token"]


def test_investigator_downloads_the_letter_with_the_pseudonym_then_the_revealed_name(
        app_case: Callable[..., tuple[Any, int, Engine]], console_db: tuple[str, Engine, dict[str, str]]) -> None:
    app, case_id, engine = app_case()
    client, csrf = _client(app, "investigator", console_db[2])
    page = client.get(f"/cases/{case_id}").text
    assert f'href="/cases/{case_id}/letter.docx"' in page
    reply = client.get(f"/cases/{case_id}/letter.docx")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert f"redline-case-{case_id}-letter.docx" in reply.headers["content-disposition"]
    text = _text(reply.content)
    assert not PLACEHOLDER.search(text)
    assert "函询通知书" in text
    assert f"第{case_id}号" in text
    for secret in REAL_SECRETS:
        assert secret not in text
    # the reveal on the case page names the case; the next letter names the person
    shown = client.post("/reveal", data={"pseudonym": page.split('id="case-person">')[1].split("<")[0],
                                         "reason": "函询前核实当事人身份", "back": f"/cases/{case_id}",
                                         "case_id": str(case_id), "csrf_token": csrf})
    assert shown.status_code == 200
    assert "张伟同志：" in _text(client.get(f"/cases/{case_id}/letter.docx").content)
    with Session(engine) as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "case.export.letter")
                                       .order_by(AuditEntry.seq)))
    assert [(e.actor, e.target, e.detail["named"]) for e in entries] == [
        ("investigator", f"case:{case_id}", False), ("investigator", f"case:{case_id}", True)]
    assert entries[0].detail["template"] == "default"
    assert entries[0].detail["rules"] >= 2


@pytest.mark.parametrize("role", ["analyst", "auditor", "admin"])
def test_other_roles_get_no_letter(app_case: Callable[..., tuple[Any, int, Engine]],
                                   console_db: tuple[str, Engine, dict[str, str]], role: str) -> None:
    app, case_id, _ = app_case()
    client, _ = _client(app, role, console_db[2])
    assert client.get(f"/cases/{case_id}/letter.docx").status_code == 403
    assert "letter.docx" not in client.get(f"/cases/{case_id}").text


def test_the_configured_template_is_used(app_case: Callable[..., tuple[Any, int, Engine]],
                                         console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path) -> None:
    template = tmp_path / "org-letter.docx"
    document = docx.Document()
    document.add_paragraph("XX县纪委监委 函询 {{ case_number }}")
    document.add_paragraph("{{person}}：")
    document.add_paragraph("{{rules}}")
    document.save(str(template))
    app, case_id, _ = app_case(template)
    client, _ = _client(app, "investigator", console_db[2])
    text = _text(client.get(f"/cases/{case_id}/letter.docx").content)
    assert text.startswith(f"XX县纪委监委 函询 {case_id}\n人员-")
    assert "（一）《" in text
    assert "函询通知书" not in text


def test_the_template_is_configured_by_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"REDLINE_LETTER_TEMPLATE": str(tmp_path / "org.docx")})
    assert settings.letter_template_path == tmp_path / "org.docx"
    assert Settings.from_env(settings.to_env()) == settings
