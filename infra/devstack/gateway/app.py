"""The gateway's Starlette app: the four roles on one port, in the order their routes must match."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute

from invoice_app.core.limits import DEFAULT_MAX_S3_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES

from ..lambda_runtime import LocalLambda
from ..template import AuthorizerSpec
from .authorizer import RequestAuthorizer
from .connections import Connections, Limits
from .http_proxy import HttpProxy
from .management import ManagementApi
from .static import StaticSite
from .websocket import WebSocketApi

HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class Gateway:
    """A local API Gateway for one function; serve `gateway.app` with uvicorn."""

    def __init__(
        self,
        function: LocalLambda,
        *,
        stage: str = "ws",
        route_keys: Iterable[str] = (),
        static_dir: Path | None = None,
        limits: Limits | None = None,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        max_large_upload_bytes: int = DEFAULT_MAX_S3_UPLOAD_BYTES,
        after_http_invocation: Callable[[], None] | None = None,
        authorizer: AuthorizerSpec | None = None,
        auth_config: dict[str, Any] | None = None,
    ) -> None:
        self.function = function
        self.stage = stage
        self.limits = limits or Limits()
        self.connections: Connections = {}
        self.http = HttpProxy(function, after_invocation=after_http_invocation)
        self.static = StaticSite(
            static_dir,
            stage=stage,
            max_upload_bytes=max_upload_bytes,
            max_large_upload_bytes=max_large_upload_bytes,
            auth=auth_config,
        )
        self.websocket = WebSocketApi(
            function,
            self.connections,
            stage=stage,
            route_keys=route_keys,
            limits=self.limits,
            # The template's $connect authorizer (it names the one function this gateway has).
            authorizer=RequestAuthorizer(function, authorizer) if authorizer else None,
        )
        self.management = ManagementApi(self.connections, self.limits)
        self.app = Starlette(
            routes=[
                WebSocketRoute(f"/{stage}", self.websocket.endpoint),
                Route(
                    f"/{stage}/@connections/{{connection_id:path}}",  # ids may hold "/" (base64)
                    self.management.endpoint,
                    methods=["GET", "POST", "DELETE"],
                ),
                Route("/config.json", self.static.config_json, methods=["GET"]),
                Route("/{path:path}", self._http_entry, methods=HTTP_METHODS),
            ]
        )

    @property
    def static_dir(self) -> Path | None:
        """The static build served, or None (API only)."""
        return self.static.static_dir

    def _static_file(self, path: str) -> Path | None:
        return self.static.file_for(path)

    async def _http_entry(self, request: Request) -> Response:
        """Everything else: the static build's file when there is one, else the function."""
        static = self.static.response(request)
        return static if static is not None else await self.http.endpoint(request)
