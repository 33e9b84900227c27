"""Unique resource names per test (or per module), so no test sees another's data."""

from __future__ import annotations

import uuid

from invoice_app.core.limits import DEFAULT_TABLES, DEFAULT_UPLOADS_BUCKET


def unique_names() -> dict[str, str]:
    """Every table and the bucket the function's environment names, with a fresh suffix."""
    suffix = uuid.uuid4().hex[:8]
    names = {var: f"{default}-{suffix}" for var, default in DEFAULT_TABLES.items()}
    names["UPLOADS_BUCKET"] = f"{DEFAULT_UPLOADS_BUCKET}-{suffix}"
    return names
