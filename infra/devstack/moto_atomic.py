"""Make moto's DynamoDB writes atomic per call, as DynamoDB's are.

moto applies an UpdateItem as an unlocked read-modify-write in Python, so two threads `ADD`ing to
the same item can lose an increment — something real DynamoDB never does. The local stack and
the tests serialise moto's write operations with one lock so that concurrency behaves like AWS.
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

    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)

        @functools.wraps(original)
        def locked(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return __original(self, *args, **kwargs)

        setattr(DynamoDBBackend, name, locked)
    _patched = True
