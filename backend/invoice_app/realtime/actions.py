"""Client actions (`{"action": "<name>", …}`) as a route table instead of an `if action ==` chain.

Features register their actions at app start (`actions.action("getMetrics")(handler)`); a handler
takes the parsed message and returns the reply for that connection (or None for no reply).
A handler registered with `connection=True` also gets the `Caller` (connection id, endpoint):
topics need to know who subscribes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import messages

Reply = dict[str, Any] | None
Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Caller:
    """The connection a message came from, and the @connections URL that reaches it."""

    connection_id: str
    endpoint: str


class ActionTable:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {"ping": lambda _payload: messages.pong()}
        self._with_caller: set[str] = set()

    def action(self, name: str, *, connection: bool = False) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._handlers[name] = handler
            if connection:
                self._with_caller.add(name)
            return handler

        return register

    @property
    def names(self) -> list[str]:
        return sorted(self._handlers)

    def dispatch(self, name: str, payload: dict[str, Any], caller: Caller | None = None) -> Reply:
        handler = self._handlers.get(name)
        if handler is None:
            return messages.error(f"unknown action {name!r}; use {' or '.join(self.names)}")
        if name in self._with_caller:
            if caller is None:
                return messages.error(f"{name} needs a connection")
            return handler(payload, caller)
        return handler(payload)
