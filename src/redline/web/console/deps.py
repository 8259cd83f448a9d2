"""Request dependencies: who is logged in, in which language, and the CSRF check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from redline.errors import AccessDenied, RedlineError
from redline.review import kept_forms, sessions
from redline.review.accounts import Actor, Perm, Role
from redline.review.pseudonyms import Masker
from redline.web.common import i18n
from redline.web.common.security import same_token
from redline.web.console.state import LOCALE_DIR, Console

SESSION_COOKIE = "redline_console"
LOGIN_NONCE_COOKIE = "redline_login_nonce"
KEPT_COOKIE = "redline_kept"  # the token of a form kept across a re-login (review.kept_forms)


class LoginRequiredError(RedlineError):
    """No valid session: pages redirect to the login page, the API answers 401.

    `kept` is the token of the form the request posted, kept for after the login."""

    def __init__(self, message: str, kept: str | None = None) -> None:
        super().__init__(message)
        self.kept = kept


def console(request: Request) -> Console:
    state: Console = request.app.state.console
    return state


@dataclass(frozen=True, slots=True)
class Ctx:
    """Everything a view needs about the request."""

    request: Request
    app: Console
    actor: Actor | None
    session: sessions.Live | None
    lang: str
    _: Callable[[str], str]

    @property
    def masker(self) -> Masker:
        return self.app.masker()

    def need(self, perm: Perm) -> Actor:
        if self.actor is None:
            raise LoginRequiredError("please log in")
        if not self.actor.can(perm):
            raise AccessDenied(f"role {self.actor.role} may not {perm}")
        return self.actor


def context(request: Request) -> Ctx:
    app = console(request)
    lang = i18n.choose(request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))
    # looked up on every request: logout, a password change or a disabled account apply at once,
    # and the role is the account's role now, not the one it had at login
    live = sessions.resolve(app.engine, request.cookies.get(SESSION_COOKIE), app.idle)
    actor = Actor(live.username, Role(live.role)) if live is not None else None
    return Ctx(request, app, actor, live, lang, i18n.gettext_for(LOCALE_DIR, lang))


CtxDep = Annotated[Ctx, Depends(context)]


def _is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data"))


async def _keep_form(request: Request, ctx: Ctx) -> str | None:
    """A page form posted into a session that has lapsed: keep what was typed for its owner."""
    if request.url.path.startswith("/api/") or not _is_form(request):
        return None
    owner = sessions.lapsed_owner(ctx.app.engine, request.cookies.get(SESSION_COOKIE))
    if owner is None:
        return None
    form = await request.form()  # parsed already for the route's parameters: no second read
    pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    return kept_forms.keep(ctx.app.engine, owner, request.url.path, pairs)


async def csrf(request: Request, ctx: CtxDep) -> Ctx:
    """Every state-changing request carries the session's CSRF token (form field or header)."""
    if ctx.session is None or ctx.actor is None:
        raise LoginRequiredError("please log in", kept=await _keep_form(request, ctx))
    given = request.headers.get("x-csrf-token")
    if given is None and _is_form(request):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(ctx.session.csrf, given):
        raise AccessDenied("missing or wrong CSRF token")
    return ctx


CsrfCtx = Annotated[Ctx, Depends(csrf)]
