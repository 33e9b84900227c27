"""The auth failures, mapped to HTTP like every AppError (kept free of PyJWT, which loads lazily)."""

from __future__ import annotations

from ..core.errors import AppError


class Unauthorized(AppError):
    """No usable token: 401 with `WWW-Authenticate: Bearer`."""

    status = 401

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="invoice-app"'}


class Forbidden(AppError):
    """A valid token whose role does not allow the action: 403."""

    status = 403


class KeysUnavailable(AppError):
    """The JWKS could not be fetched: the request cannot be checked, so it is refused (503)."""

    status = 503
