"""Signing in to a local stack's Cognito (moto) as one of its seeded users.

    token = signed_in(stack, "reviewer")          # an id token, cached per stack and role
    requests.get(url, headers=bearer(token))
    WsClient(stack.ws_url, token=signed_in(stack, "viewer"))

Works with an in-process `LocalStack` and with a `StackProcess`: both have `aws_endpoint`,
`cognito_client_id` and `users` (role -> LocalUser).
"""

from __future__ import annotations

from typing import Any

import boto3

ROLES = ("viewer", "reviewer", "admin")
_tokens: dict[tuple[str, str, str], dict[str, str]] = {}  # (endpoint, client, role) -> tokens


def cognito_client(stack: Any) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=stack.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def sign_in(stack: Any, role: str) -> dict[str, str]:
    """InitiateAuth USER_PASSWORD_AUTH as the seeded user of `role`: the AuthenticationResult."""
    user = stack.users[role]
    answer = cognito_client(stack).initiate_auth(
        ClientId=stack.cognito_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.email, "PASSWORD": user.password},
    )
    return answer["AuthenticationResult"]


def signed_in(stack: Any, role: str = "viewer", kind: str = "IdToken") -> str:
    """A token of the seeded user of `role` (moto's live an hour: cached per stack and role)."""
    key = (stack.aws_endpoint, stack.cognito_client_id, role)
    if key not in _tokens:
        _tokens[key] = sign_in(stack, role)
    return _tokens[key][kind]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
