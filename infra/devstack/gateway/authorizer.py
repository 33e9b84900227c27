"""The `$connect` REQUEST authorizer, played as API Gateway plays it (driven by the template).

1. An identity source that is missing (no `token` query parameter, say) answers the upgrade
   with 401 without invoking anything.
2. Otherwise the function is invoked with the authorizer event (`events.websocket_authorizer_event`).
3. Its answer must be `{"principalId", "policyDocument", "context"?}`: a policy that allows
   `execute-api:Invoke` on the methodArn (and denies nothing of it) lets the connection go on
   to `$connect`, with `requestContext.authorizer = {**context, "principalId",
   "integrationLatency"}` on that and every later event of the connection; a Deny (or no
   matching Allow) is 403; a failed invocation, or an answer of the wrong shape (a context
   value that is not a string, number or boolean), is 500.
"""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass
from typing import Any

from ..lambda_runtime import InvocationFailed, PayloadTooLarge
from ..template import AuthorizerSpec


@dataclass(frozen=True)
class Decision:
    status: int  # 200 = go on to $connect; 401, 403, 500 = refuse the upgrade with it
    authorizer: dict[str, Any] | None = None  # requestContext.authorizer of the connection


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _identity_present(source: str, headers: dict[str, str], query: dict[str, str]) -> bool:
    """`route.request.querystring.X` / `route.request.header.X`: present and not empty."""
    kind, _, name = source.removeprefix("route.request.").partition(".")
    if kind == "querystring":
        return bool(query.get(name))
    if kind == "header":
        return bool({k.lower(): v for k, v in headers.items()}.get(name.lower()))
    raise ValueError(f"identity source {source!r} is not emulated")


def policy_decision(answer: Any, method_arn: str, latency_ms: int = 0) -> Decision:
    """What API Gateway makes of an authorizer's answer for this methodArn."""
    if not isinstance(answer, dict) or "principalId" not in answer:
        return Decision(500)
    document = answer.get("policyDocument")
    if not isinstance(document, dict):
        return Decision(500)
    context = answer.get("context") or {}
    if not isinstance(context, dict) or not all(
        isinstance(v, str | int | float | bool) for v in context.values()
    ):
        return Decision(500)  # API Gateway: arrays and objects are not valid context values
    allowed = denied = False
    for statement in _as_list(document.get("Statement") or []):
        if not isinstance(statement, dict):
            return Decision(500)
        actions = _as_list(statement.get("Action") or [])
        if not any(fnmatch.fnmatchcase("execute-api:Invoke", str(a)) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(method_arn, str(r)) for r in _as_list(statement.get("Resource"))):
            continue
        effect = statement.get("Effect")
        denied |= effect == "Deny"
        allowed |= effect == "Allow"
    if denied or not allowed:
        return Decision(403)
    return Decision(200, {**context, "principalId": answer["principalId"], "integrationLatency": latency_ms})


class RequestAuthorizer:
    def __init__(self, function: Any, spec: AuthorizerSpec) -> None:
        if spec.authorizer_type != "REQUEST":
            raise ValueError(f"{spec.logical_id}: only REQUEST authorizers are emulated")
        self.function = function
        self.spec = spec
        for source in spec.identity_sources:
            _identity_present(source, {}, {})  # unknown kinds fail at start, not per request

    async def decide(self, event: dict[str, Any]) -> Decision:
        headers = event.get("headers") or {}
        query = event.get("queryStringParameters") or {}
        if not all(_identity_present(s, headers, query) for s in self.spec.identity_sources):
            return Decision(401)
        started = time.monotonic()
        try:
            answer = await self.function.invoke(event)
        except (InvocationFailed, PayloadTooLarge):
            return Decision(500)
        return policy_decision(answer, event["methodArn"], int((time.monotonic() - started) * 1000))
