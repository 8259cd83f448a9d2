"""Request dependencies: who is logged in, in which language, and the CSRF check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from redline.errors import AccessDenied, RedlineError
from redline.review import sessions
from redline.review.accounts import Actor, Perm, Role
from redline.review.pseudonyms import Masker
from redline.web.common import i18n
from redline.web.common.security import same_token
from redline.web.console.state import LOCALE_DIR, Console

SESSION_COOKIE = "redline_console"
LOGIN_NONCE_COOKIE = "redline_login_nonce"


class LoginRequiredError(RedlineError):
    """No valid session: pages redirect to the login page, the API answers 401."""


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


async def csrf(request: Request, ctx: CtxDep) -> Ctx:
    """Every state-changing request carries the session's CSRF token (form field or header)."""
    if ctx.session is None or ctx.actor is None:
        raise LoginRequiredError("please log in")
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(ctx.session.csrf, given):
        raise AccessDenied("missing or wrong CSRF token")
    return ctx


CsrfCtx = Annotated[Ctx, Depends(csrf)]
