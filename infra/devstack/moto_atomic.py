"""Make moto's DynamoDB calls atomic, as DynamoDB's are per item.

moto applies an UpdateItem as an unlocked read-modify-write in Python, so two threads `ADD`ing to
the same item can lose an increment — something real DynamoDB never does. Its request handlers
also read items outside those writes (UpdateItem deep-copies the item it is about to change, every
read serialises the items it returns), and a write on another thread that changes the same item
meanwhile breaks the read ("dictionary changed size during iteration": a 500 where DynamoDB
answers). The local stack and the tests therefore run each DynamoDB action, handler and backend,
under one lock: one at a time, as moto's Python runs them in effect anyway under the GIL.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

_LOCK = threading.RLock()
_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_patched = False


def make_dynamodb_writes_atomic() -> None:
    global _patched
    if _patched:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    handle = DynamoHandler.call_action

    @functools.wraps(handle)
    def handled(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return handle(self, *args, **kwargs)

    DynamoHandler.call_action = handled  # type: ignore[method-assign]
    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)

        @functools.wraps(original)
        def locked(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return __original(self, *args, **kwargs)

        setattr(DynamoDBBackend, name, locked)
    _patched = True
