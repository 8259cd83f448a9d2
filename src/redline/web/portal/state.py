"""The portal's per-process state and the helpers its route modules share: rendering a page in
the reporter's language, refusing a request with a status and a Chinese message, today's date.

Built once by `app.create_portal_app` and reached through `request.app.state.portal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from redline.bundle.schema import CHINA
from redline.errors import InputError
from redline.intake.uploads import UploadError
from redline.web.common.i18n import gettext_for
from redline.web.portal.guard import Guard, Limits

HERE: Final = Path(__file__).parent
LOCALE_DIR: Final = HERE / "locales"
CATEGORY_LABELS: Final = {
    "gifts": "收受红包礼金", "vote_buying": "拉票贿选", "gambling": "赌博", "secrets": "泄露秘密",
    "privacy": "泄露他人隐私", "conduct": "作风问题", "factions": "拉帮结派", "rumour": "造谣传谣",
    "vulgar": "低俗内容", "promotion": "违规经商推销", "superstition": "封建迷信", "political": "政治纪律",
    "flattery": "吹捧奉承", "off_topic": "工作群违规", "governance": "工作群管理", "other": "其他",
}


@dataclass(frozen=True, slots=True)
class PortalConfig:
    """What the portal needs beyond Settings: where sealed files go, limits, proof of work."""

    data_dir: Path
    limits: Limits = field(default_factory=Limits)
    pow_bits: int = 0
    pow_key: bytes | None = None  # shared by worker processes so they accept each other's challenges


@dataclass(frozen=True, slots=True)
class Portal:
    """Everything a portal route needs."""

    engine: Engine
    config: PortalConfig
    guard: Guard
    templates: Jinja2Templates


class Refused(Exception):  # noqa: N818 - an HTTP answer, not an error of ours
    """Answer with `status` and a message for the reporter (a page, or JSON under /api/)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def portal(request: Request) -> Portal:
    state: Portal = request.app.state.portal
    return state


def refusal(exc: InputError) -> Refused:
    """An input error as the HTTP answer: uploads carry their own status (413, 415)."""
    return Refused(exc.status if isinstance(exc, UploadError) else 400, exc.message)


def today() -> date:
    return datetime.now(CHINA).date()


def client_of(request: Request) -> str | None:
    """The peer address, only ever turned into a keyed hash by the guard (never stored)."""
    return request.client.host if request.client else None


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template in the reporter's language (?lang=en, else Chinese)."""
    state = portal(request)
    lang = "en" if request.query_params.get("lang") == "en" else "zh_CN"
    guard = state.guard
    return state.templates.TemplateResponse(
        request, name, {"_": gettext_for(LOCALE_DIR, lang), "lang": lang, "categories": CATEGORY_LABELS,
                        "pow_bits": guard.pow_bits, "challenge": guard.challenge() if guard.pow_bits else "",
                        **context},
        status_code=status)
