"""The frontend's static build, and `/config.json` that tells the page this gateway's URLs.

URL paths resolve like a static export behind CloudFront: the exact file, `path.html` or
`path/index.html`, else the export's `404.html`. API paths never resolve to a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

# Paths that always go to the function, even when a static file of that name exists.
API_PREFIXES = ("/api/", "/receive")

# The frontend's Content-Security-Policy, as the template's FrontendHeadersPolicy sends it on
# CloudFront, with this stack's endpoints in connect-src (its own origin and WebSocket, and the
# embedded AWS, which is Cognito's endpoint and the presigned uploads' S3 here). Served on every
# static answer, so the e2e tests run the page under the policy it has on AWS.
# tests/unit/hardening/test_headers.py keeps the two in step.
CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'unsafe-inline'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("object-src", "'none'"),
)


def content_security_policy(connect_src: tuple[str, ...] = (), img_src: tuple[str, ...] = ()) -> str:
    extra = {"connect-src": connect_src, "img-src": img_src}
    parts = []
    for name, value in CSP_DIRECTIVES:
        if extra.get(name):
            value = " ".join((value, *extra[name]))
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def security_headers(host: str, extra_connect_src: tuple[str, ...] = ()) -> dict[str, str]:
    """What CloudFront's FrontendHeadersPolicy adds (HSTS aside: it means nothing over http)."""
    return {
        # The embedded AWS is S3 here too: the document view's page images are presigned GETs.
        "Content-Security-Policy": content_security_policy(
            (f"ws://{host}", *extra_connect_src), img_src=extra_connect_src
        ),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


class StaticSite:
    def __init__(
        self,
        static_dir: Path | None,
        *,
        stage: str,
        max_upload_bytes: int,
        max_large_upload_bytes: int,
        auth: dict[str, Any] | None = None,
    ) -> None:
        self.static_dir = static_dir.resolve() if static_dir and static_dir.is_dir() else None
        self.stage = stage
        self.max_upload_bytes = max_upload_bytes
        self.max_large_upload_bytes = max_large_upload_bytes
        # The page's sign-in settings: {"mode": "cognito", region, userPoolId, clientId, endpoint}.
        self.auth = dict(auth) if auth else {"mode": "none"}
        # Origins the page may connect to besides this gateway (the stack adds the embedded AWS).
        self.extra_connect_src: tuple[str, ...] = ()

    def response(self, request: Request) -> Response | None:
        """The static answer to a request, or None when it is the function's to answer."""
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(API_PREFIXES) or not self.static_dir:
            return None
        headers = security_headers(request.headers.get("host", request.url.netloc), self.extra_connect_src)
        static = self.file_for(path)
        if static is not None:
            return FileResponse(static, headers=headers)
        not_found = self.static_dir / "404.html"
        if not_found.is_file():  # what CloudFront answers for a page the export lacks
            return FileResponse(not_found, status_code=404, headers=headers)
        return None

    def file_for(self, path: str) -> Path | None:
        """The export's file for a URL path: exact file, `path.html`, or `path/index.html`."""
        if self.static_dir is None:
            return None
        relative = path.lstrip("/")
        for candidate in (relative, f"{relative.rstrip('/')}.html", f"{relative}/index.html".lstrip("/")):
            file = (self.static_dir / candidate).resolve()
            if file.is_file() and file.is_relative_to(self.static_dir):
                return file
        return None

    def config_document(self, host: str) -> dict[str, Any]:
        """The page's run-time settings for a browser that reached this gateway as `host`."""
        return {
            "apiUrl": "",
            "wsUrl": f"ws://{host}/{self.stage}",
            "maxUploadBytes": self.max_upload_bytes,
            # Larger files go from the browser to the embedded S3 with a presigned POST.
            "maxLargeUploadBytes": self.max_large_upload_bytes,
            "auth": dict(self.auth),
        }

    async def config_json(self, request: Request) -> Response:
        host = request.headers.get("host", request.url.netloc)
        return JSONResponse(self.config_document(host), headers={"Cache-Control": "no-store"})
