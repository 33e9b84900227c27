"""A local API Gateway on one port: HTTP API, WebSocket API and the @connections management API.

- `http_proxy`: HTTP requests become HTTP API payload v2.0 events for the real handler; its
  answer is mapped back (status, headers, cookies, base64 bodies).
- `websocket`: WebSocket connections at `/{stage}` (framing by the `websockets` library, through
  uvicorn): `$connect`, routes by `$request.body.action` (else `$default`), `$disconnect`, and
  API Gateway's limits (10-minute idle timeout, 2-hour connection life).
- `management`: `/{stage}/@connections/{id}`: POST delivers to the browser, GET describes,
  DELETE closes; 410 Gone for unknown ids and for connections whose `$connect` has not finished;
  413 for a POST over 128 KB.
- `static`: everything else is the frontend's static build, plus `/config.json` with this
  gateway's URLs.
- `connections`: the open connections both WebSocket roles share, and the `Limits`.
- `app`: `Gateway`, which assembles the roles into one Starlette app.
"""

from .app import Gateway
from .connections import Limits

__all__ = ["Gateway", "Limits"]
