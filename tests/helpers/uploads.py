"""Uploading a file the way a browser does: multipart field `file`."""

from __future__ import annotations

import io
from typing import Any

import requests

from .samples import fixture_bytes


def post_file(
    client: Any,
    data: bytes,
    name: str = "invoice.pdf",
    route: str = "/receive",
    field: str = "file",
    headers: dict[str, str] | None = None,
) -> Any:
    """Through a Flask test client (a new multipart boundary every time, like a browser)."""
    return client.post(
        route,
        data={field: (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers or {},
    )


def upload_to_stack(
    base_url: str, name: str = "sample-invoice.pdf", *, token: str | None = None
) -> dict[str, Any]:
    """A sample invoice through a running local stack's gateway; the 200 answer's body.

    `token`: a reviewer's (or admin's) id token, for a stack that checks them.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(
        f"{base_url}/api/invoices", files={"file": (name, fixture_bytes(name))}, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()
