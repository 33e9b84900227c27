"""The WebSocket `$connect` REQUEST authorizer: the same function, a different event.

Browsers cannot set headers on a WebSocket, so the token comes as `?token=`. API Gateway answers
401 itself when the identity source is missing; this answers an IAM policy: Allow with the
caller's claims as context (strings and numbers only: API Gateway drops arrays), or Deny (403).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..core.errors import AppError
from .identity import ANONYMOUS, Identity

if TYPE_CHECKING:
    from .tokens import TokenVerifier

log = logging.getLogger(__name__)


def _policy(principal: str, effect: str, method_arn: str, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": method_arn}],
        },
        "context": context,
    }


def allow(identity: Identity, method_arn: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "sub": identity.sub,
        "email": identity.email,
        "name": identity.name,
        "roles": ",".join(identity.role_names),
    }
    if identity.expires_at is not None:
        context["exp"] = identity.expires_at
    return _policy(identity.sub, "Allow", method_arn, context)


def deny(method_arn: str, reason: str) -> dict[str, Any]:
    return _policy("anonymous", "Deny", method_arn, {"reason": reason})


def authorize_connect(event: dict[str, Any], verifier: TokenVerifier | None) -> dict[str, Any]:
    method_arn = str(event.get("methodArn") or "")
    if verifier is None:  # AUTH_MODE=none
        return allow(ANONYMOUS, method_arn)
    query = event.get("queryStringParameters")
    token = query.get("token") if isinstance(query, dict) else None
    if not isinstance(token, str) or not token:
        return deny(method_arn, "no token")
    try:
        identity = verifier.verify(token)
    except AppError as exc:  # Unauthorized, or the keys could not be fetched
        log.info("WebSocket connect denied: %s", exc.message)
        return deny(method_arn, exc.message)
    log.info("WebSocket connect allowed for %s", identity.sub)
    return allow(identity, method_arn)
