"""Logging in and out (pages and API), and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from redline.errors import AccessDenied, ConfigError
from redline.review import audit_log, sessions
from redline.review.accounts import Actor, authenticate, change_password
from redline.web.common import i18n
from redline.web.console.deps import (
    KEPT_COOKIE,
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
        ctx.app.throttle.failed(username, address)
        audit_log.record(ctx.app.engine, username[:64], "", "login.failed", "", {"address": address})
        raise ConfigError("wrong username or password")
    audit_log.record(ctx.app.engine, actor.username, actor.role, "login", "", {"address": address})
    return actor


def _set_session(ctx: Ctx, response: Response, actor: Actor) -> str:
    token, csrf = sessions.start(ctx.app.engine, actor.username)
    # no max_age: a browser session cookie; the server decides how long the session lives
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=ctx.app.cookie_secure,
                        path="/")
    return csrf


def _end_session(ctx: Ctx, response: Response) -> None:
    if ctx.session is not None and ctx.actor is not None:
        sessions.end(ctx.app.engine, ctx.session.token)
        audit_log.record(ctx.app.engine, ctx.actor.username, ctx.actor.role, "logout", "", {})
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(ctx: CtxDep, next: str | None = None, error: str = "") -> Response:
    nonce = ctx.request.cookies.get(LOGIN_NONCE_COOKIE) or secrets.token_urlsafe(16)
    kept = _safe_next(next) == "/kept" and bool(ctx.request.cookies.get(KEPT_COOKIE))
    response = render(ctx, "login.html", next=_safe_next(next), error=error, kept=kept,
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
    _end_session(ctx, response)
    return response


@router.post("/api/logout", status_code=204, tags=["session"], responses={401: {"description": "not logged in"}})
def api_logout(ctx: CsrfCtx) -> Response:
    """End this session on the server: its cookie no longer works anywhere."""
    response = Response(status_code=204)
    _end_session(ctx, response)
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


class PasswordBody(BaseModel):
    """The current password and the new one (at least 8 characters)."""

    current: str = Field(min_length=1, max_length=200)
    new: str = Field(min_length=8, max_length=200)


@router.post("/api/me/password", response_model=LoginReply, tags=["session"],
             responses={400: {"description": "wrong current password"}, 401: {"description": "not logged in"}})
def api_password(ctx: CsrfCtx, body: PasswordBody) -> LoginReply:
    """Change your password: every other session of the account ends; this one gets a new CSRF token."""
    if ctx.actor is None or ctx.session is None:  # csrf() has checked both; this tells the type checker
        raise LoginRequiredError("please log in")
    actor, token = ctx.actor, ctx.session.token
    change_password(ctx.app.engine, actor.username, body.current, body.new, keep_session=token)
    audit_log.record(ctx.app.engine, actor.username, actor.role, "account.password", f"account:{actor.username}", {})
    return LoginReply(username=actor.username, role=actor.role, csrf_token=sessions.rotate_csrf(ctx.app.engine, token))
