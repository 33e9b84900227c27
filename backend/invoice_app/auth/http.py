"""Every HTTP route but the public ones needs a verified bearer token, and each declares its role.

A route is public only when marked `@public`; any other route (including an unknown URL) is
checked before Flask runs it, so nothing is read or written before the check passes. A route
needing more than `viewer` says so with `@requires(Role.REVIEWER)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, current_app, g, request

from .errors import Forbidden, Unauthorized
from .identity import ANONYMOUS, Identity
from .roles import Role

if TYPE_CHECKING:
    from .tokens import TokenVerifier

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., object])

_PUBLIC_ATTR = "_auth_public"
_ROLE_ATTR = "_auth_role"


def public(view: F) -> F:
    """Mark a view as open to anyone (health only)."""
    setattr(view, _PUBLIC_ATTR, True)
    return view


def requires(role: Role) -> Callable[[F], F]:
    """The least role a view needs (default: viewer)."""

    def mark(view: F) -> F:
        setattr(view, _ROLE_ATTR, role)
        return view

    return mark


def current_identity() -> Identity:
    """The verified caller of this request (set by the guard)."""
    return g.identity


def bearer_token() -> str:
    """The token of `Authorization: Bearer …`; cookies, the body and the query string never count."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("sign in first: send 'Authorization: Bearer <token>'")
    return token.strip()


def install_guard(app: Flask, verifier: Callable[[], TokenVerifier] | None) -> None:
    """Check every request; `verifier` None means AUTH_MODE=none (everyone is an admin).

    `verifier` is a factory: PyJWT and cryptography load on the first checked request, not at
    cold start.
    """

    @app.before_request
    def guard() -> None:
        if request.method == "OPTIONS":
            return  # CORS preflights carry no credentials; flask-cors answers them
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, _PUBLIC_ATTR, False):
            return
        if verifier is None:
            g.identity = ANONYMOUS
            return
        identity = verifier().verify(bearer_token())
        g.identity = identity
        needed = getattr(view, _ROLE_ATTR, Role.VIEWER) if view is not None else Role.VIEWER
        if not identity.may(needed):
            log.info("%s (%s) may not %s %s", identity.sub, identity.role.label, request.method, request.path)
            raise Forbidden(f"this needs the {needed.label} role; you are a {identity.role.label}")
