"""Logging in and out (pages and API), and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from redline.errors import AccessDenied, ConfigError
from redline.review import audit_log
from redline.review.accounts import Actor, authenticate
from redline.web.common import i18n
from redline.web.common.security import SESSION_MAX_AGE
from redline.web.console.deps import (
    LOGIN_NONCE_COOKIE,
    SESSION_COOKIE,
    CsrfCtx,
    Ctx,
    CtxDep,
    LoginRequiredError,
)
from redline.web.console.pages import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # only local paths: never redirect a user to another site after login
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/alerts"


def _login(ctx: Ctx, username: str, password: str) -> Actor:
    address = ctx.request.client.host if ctx.request.client else "-"
    if not ctx.app.throttle.allow(username, address):
        audit_log.record(ctx.app.engine, username[:64], "", "login.throttled", "", {"address": address})
        raise AccessDenied("too many login attempts; wait a minute")
    actor = authenticate(ctx.app.engine, username, password)
    if actor is None:
        audit_log.record(ctx.app.engine, username[:64], "", "login.failed", "", {"address": address})
        raise ConfigError("wrong username or password")
    audit_log.record(ctx.app.engine, actor.username, actor.role, "login", "", {"address": address})
    return actor


def _set_session(ctx: Ctx, response: Response, actor: Actor) -> str:
    cookie, data = ctx.app.codec.dump(actor.username, actor.role)
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_MAX_AGE, httponly=True,
                        samesite="strict", secure=ctx.app.cookie_secure, path="/")
    return data.csrf


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(ctx: CtxDep, next: str | None = None, error: str = "") -> Response:
    nonce = ctx.request.cookies.get(LOGIN_NONCE_COOKIE) or secrets.token_urlsafe(16)
    response = render(ctx, "login.html", next=_safe_next(next), error=error,
                      login_token=ctx.app.codec.login_token(nonce))
    response.set_cookie(LOGIN_NONCE_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=ctx.app.cookie_secure, path="/")
    return response


@router.post("/login", include_in_schema=False)
def login_form(
    ctx: CtxDep, username: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=200)],
    login_token: Annotated[str, Form(max_length=500)] = "", next: Annotated[str, Form(max_length=500)] = "/alerts",
) -> Response:
    if not ctx.app.codec.check_login_token(login_token, ctx.request.cookies.get(LOGIN_NONCE_COOKIE)):
        raise AccessDenied("the login form expired; reload the page")
    try:
        actor = _login(ctx, username, password)
    except ConfigError:
        return RedirectResponse(f"/login?error=1&next={_safe_next(next)}", status_code=303)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session(ctx, response, actor)
    return response


@router.post("/logout", include_in_schema=False)
def logout(ctx: CsrfCtx) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}", include_in_schema=False)
def language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(i18n.LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return response


class LoginBody(BaseModel):
    """Credentials for POST /api/login."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class LoginReply(BaseModel):
    """The session is in the cookie; send csrf_token back in X-CSRF-Token."""

    username: str
    role: str
    csrf_token: str


@router.post("/api/login", response_model=LoginReply, tags=["session"],
             responses={400: {"description": "wrong credentials"}, 403: {"description": "throttled"}})
def api_login(ctx: CtxDep, body: LoginBody, response: Response) -> LoginReply:
    """Log in: sets the session cookie and returns the CSRF token for state-changing calls."""
    actor = _login(ctx, body.username, body.password)
    token = _set_session(ctx, response, actor)  # FastAPI copies the cookie onto the JSON reply
    return LoginReply(username=actor.username, role=actor.role, csrf_token=token)


@router.get("/api/me", response_model=LoginReply, tags=["session"], responses={401: {"description": "not logged in"}})
def api_me(ctx: CtxDep) -> LoginReply:
    """Who the session belongs to."""
    if ctx.actor is None or ctx.session is None:
        raise LoginRequiredError("please log in")
    return LoginReply(username=ctx.actor.username, role=ctx.actor.role, csrf_token=ctx.session.csrf)
