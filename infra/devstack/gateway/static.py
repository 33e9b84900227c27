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

    def response(self, request: Request) -> Response | None:
        """The static answer to a request, or None when it is the function's to answer."""
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(API_PREFIXES) or not self.static_dir:
            return None
        static = self.file_for(path)
        if static is not None:
            return FileResponse(static)
        not_found = self.static_dir / "404.html"
        if not_found.is_file():  # what CloudFront answers for a page the export lacks
            return FileResponse(not_found, status_code=404)
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
