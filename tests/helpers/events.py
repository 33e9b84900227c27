"""Recorded AWS events from tests/events/."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

from .samples import ROOT

EVENTS_DIR = ROOT / "tests" / "events"


def load_event(name: str, token: str | None = None) -> dict[str, Any]:
    """A recorded AWS event (a fresh copy each call); `token` adds `Authorization: Bearer …`."""
    with open(EVENTS_DIR / f"{name}.json", encoding="utf-8") as fh:
        event = copy.deepcopy(json.load(fh))
    if token is not None:
        with_bearer(event, token)
    return event


def with_bearer(event: dict[str, Any], token: str) -> dict[str, Any]:
    """Sign an HTTP event in: the header in every shape (v1/ALB multi-value headers too)."""
    event.setdefault("headers", {})
    event["headers"] = {**(event["headers"] or {}), "authorization": f"Bearer {token}"}
    if isinstance(event.get("multiValueHeaders"), dict):
        event["multiValueHeaders"]["authorization"] = [f"Bearer {token}"]
    return event


def connect_event(token_expires_in: int = 3600) -> dict[str, Any]:
    """The recorded `$connect` (with its authorizer context), its token valid from now on."""
    event = load_event("ws_connect")
    event["requestContext"]["authorizer"]["exp"] = int(time.time()) + token_expires_in
    return event
