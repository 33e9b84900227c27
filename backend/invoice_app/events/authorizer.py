"""API Gateway Lambda REQUEST authorizer events (the WebSocket `$connect` route) → auth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..auth.authorizer import authorize_connect

if TYPE_CHECKING:
    from ..services import Services


def handle(event: dict[str, Any], services: Services) -> dict[str, Any]:
    cognito = services.settings.auth_mode == "cognito"
    return authorize_connect(event, services.token_verifier() if cognito else None)
