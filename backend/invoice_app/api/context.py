"""Access to the app's Services from inside a request."""

from __future__ import annotations

from flask import current_app

from ..services import EXTENSION_KEY, Services


def services() -> Services:
    return current_app.extensions[EXTENSION_KEY]
