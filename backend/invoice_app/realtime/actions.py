"""Client actions (`{"action": "<name>", …}`) as a route table instead of an `if action ==` chain.

Features register their actions at app start (`actions.action("getMetrics")(handler)`); a handler
takes the parsed message and returns the reply for that connection (or None for no reply).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import messages

Reply = dict[str, Any] | None
Handler = Callable[[dict[str, Any]], Reply]


class ActionTable:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {"ping": lambda _payload: messages.pong()}

    def action(self, name: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._handlers[name] = handler
            return handler

        return register

    @property
    def names(self) -> list[str]:
        return sorted(self._handlers)

    def dispatch(self, name: str, payload: dict[str, Any]) -> Reply:
        handler = self._handlers.get(name)
        if handler is None:
            return messages.error(f"unknown action {name!r}; use {' or '.join(self.names)}")
        return handler(payload)
