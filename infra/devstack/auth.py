"""Sign-in for the local stack: the template's user pool in the embedded moto, and one user per role.

The pool, its client and its groups come from `infra/template.yaml` (the properties moto
accepts). Then, and only here, never in a deployed stack, three users are seeded, one per role,
each with a permanent password: random per start unless one is given (`--user-password`).

moto signs real RS256 tokens (with a fixed key, `kid` "dummy") whose `iss` is the pool's AWS
URL, and serves the public keys at `<endpoint>/<pool id>/.well-known/jwks.json`: the function
verifies them as it does on AWS, with `COGNITO_JWKS_URL` pointing at that address.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from .template import load_template, user_pool_spec

REGION = "us-east-1"
POOL_NAME = "invoice-users-local"

# (role = group, e-mail, display name)
SEED_USERS = (
    ("viewer", "viewer@example.com", "Vera Viewer"),
    ("reviewer", "reviewer@example.com", "Rita Reviewer"),
    ("admin", "admin@example.com", "Adam Admin"),
)


@dataclass(frozen=True)
class LocalUser:
    role: str
    email: str
    name: str
    password: str


@dataclass(frozen=True)
class LocalCognito:
    endpoint: str  # the embedded AWS (moto), where Cognito's JSON API and the JWKS are served
    pool_id: str
    client_id: str
    users: dict[str, LocalUser]  # role -> user
    region: str = REGION

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"

    @property
    def issuer(self) -> str:
        """What moto writes into `iss`: the pool's AWS URL, as Cognito does."""
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def config_document(self) -> dict[str, Any]:
        """The `auth` block of the local `/config.json`."""
        return {
            "mode": "cognito",
            "region": self.region,
            "userPoolId": self.pool_id,
            "clientId": self.client_id,
            # moto answers the browser's CORS preflight for its JSON API (any origin), so the
            # page on the gateway's origin can POST there directly, like to cognito-idp on AWS.
            "endpoint": f"{self.endpoint}/",
        }


def random_password() -> str:
    """A password the template's policy accepts (length ≥ 12, lower, upper, digit)."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(16))
    return f"{body}-Aa{secrets.randbelow(10)}"


def provision_cognito(
    cognito: Any, endpoint: str, *, password: str | None = None, template: dict[str, Any] | None = None
) -> LocalCognito:
    """Create the template's pool, client and groups on `cognito` (moto), then seed the users."""
    spec = user_pool_spec(template or load_template())
    if spec is None:
        raise ValueError("the template's function has no COGNITO_USER_POOL_ID")
    pool_id = cognito.create_user_pool(PoolName=POOL_NAME, **spec.create_args)["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **spec.client_args)["UserPoolClient"][
        "ClientId"
    ]
    for group in spec.groups:
        cognito.create_group(UserPoolId=pool_id, **group)
    group_names = {g["GroupName"] for g in spec.groups}
    users = {}
    for role, email, name in SEED_USERS:
        if role not in group_names:
            raise ValueError(f"the template has no group {role!r}")
        secret = password or random_password()
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
            MessageAction="SUPPRESS",  # no invitation: the password is set right away
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=role)
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=secret, Permanent=True)
        users[role] = LocalUser(role=role, email=email, name=name, password=secret)
    return LocalCognito(endpoint=endpoint, pool_id=pool_id, client_id=client_id, users=users)


def users_block(local: LocalCognito) -> str:
    """What `python -m devstack` prints once at start-up (tests/helpers/stack_process.py parses it)."""
    lines = [f"Local Cognito: pool {local.pool_id}  client {local.client_id}  endpoint {local.endpoint}/"]
    lines.append("Local users (sign in with e-mail and password):")
    for user in local.users.values():
        lines.append(f"  {user.role}: {user.email}  password: {user.password}  ({user.name})")
    return "\n".join(lines)
