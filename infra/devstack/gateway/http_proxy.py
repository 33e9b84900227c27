"""The HTTP API proxy: an HTTP request becomes a payload v2.0 event for the function, and the
function's answer is mapped back (status, headers, multi-value headers, cookies, base64 bodies).

HTTP API's own limits are played: a body over 10 MB, or an event over Lambda's 6 MB, is 413; a
failed invocation is 500.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from invoice_app.core.limits import HTTP_API_MAX_BODY_BYTES

from .. import events
from ..lambda_runtime import InvocationFailed, LocalLambda, PayloadTooLarge


class HttpProxy:
    def __init__(self, function: LocalLambda, *, after_invocation: Callable[[], None] | None = None) -> None:
        self.function = function
        # Called when an HTTP invocation ends: the stack pokes the stream poller with it, so the
        # metrics an upload just wrote are read at once rather than at the next poll.
        self.after_invocation = after_invocation

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > HTTP_API_MAX_BODY_BYTES:  # HTTP API's own request limit
            return JSONResponse({"message": "Request Entity Too Large"}, status_code=413)
        event = events.http_api_event(
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            headers=request.headers.items(),
            body=body,
            source_ip=request.client.host if request.client else "127.0.0.1",
            host=request.headers.get("host", "localhost"),
        )
        try:
            result = await self.function.invoke(event)
        except PayloadTooLarge:
            return JSONResponse({"message": "Request Entity Too Large"}, status_code=413)
        except InvocationFailed:
            return JSONResponse({"message": "Internal Server Error"}, status_code=500)
        finally:
            if self.after_invocation is not None:
                self.after_invocation()
        return http_response(result)


def http_response(result: Any) -> Response:
    """The HTTP answer for a function's payload v2.0 result."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # Payload v2: an answer without statusCode is taken as a 200 JSON body.
        return JSONResponse(result)
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(content=data, status_code=int(result["statusCode"]))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.append(name, str(value))
    for cookie in result.get("cookies") or []:
        response.headers.append("set-cookie", cookie)
    return response
