"""Rendering pages: one Jinja2 environment, the context every template gets, the error page."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Final

from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from redline.review.accounts import Perm
from redline.vocab import Category, Severity
from redline.web.console.deps import Ctx
from redline.web.console.labels import pack_label
from redline.web.console.state import HERE

TEMPLATES: Final = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.autoescape = True
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True
TEMPLATES.env.globals["pack_label"] = pack_label


def attrs(value: Any) -> Any:
    """Dicts (nested in lists and dicts too) as namespaces, for templates.

    Jinja tries `getattr` before `[]`; on a dict every `r.severity` raised and caught an
    AttributeError, which was most of the queue page's rendering time.
    """
    if isinstance(value, dict):
        return SimpleNamespace(**{k: attrs(v) for k, v in value.items()})
    if isinstance(value, list):
        return [attrs(v) for v in value]
    return value


def render(ctx: Ctx, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render `name` with the request context: the user, `_`, the CSRF token, vocabularies."""
    values = {k: attrs(v) for k, v in values.items()}
    values.update(
        request=ctx.request, ctx=ctx, _=ctx._, lang=ctx.lang, actor=ctx.actor, Perm=Perm,
        csrf_token=ctx.session.csrf if ctx.session else "",
        categories=[c.value for c in Category], severities=[s.value for s in Severity],
    )
    return TEMPLATES.TemplateResponse(ctx.request, name, values, status_code=status_code)


def error_page(ctx: Ctx, code: int, message: str) -> HTMLResponse:
    return render(ctx, "error.html", status_code=code, code=code, message=message)
