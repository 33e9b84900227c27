"""The idempotency table: one record per (caller, Idempotency-Key).

    {pk, status: in-progress | done, requestHash, owner, expires, lockedUntil,
     responseStatus, responseBody (zlib), contentType, tooLarge}

A request claims its key with one conditional put; only the claimant (`owner`) may complete or
release it. `expires` is the TTL attribute: DynamoDB deletes expired items only eventually (up to
days later), so the claim treats an expired record as absent itself. `lockedUntil` bounds how
long an in-progress record holds the key: a request cannot run past the HTTP API's 30 s, so a
record still in progress after that belongs to a function that died, and the key may be claimed
again.
"""

from __future__ import annotations

import logging
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, from_item, store_errors, to_item
from ..core.errors import StorageUnavailable
from ..core.limits import IDEMPOTENCY_MAX_RESPONSE_BYTES

log = logging.getLogger(__name__)

IN_PROGRESS = "in-progress"
DONE = "done"
UNAVAILABLE = "the idempotency store is unavailable; nothing was done, retry later"
_CHECK_FAILED = "ConditionalCheckFailedException"


@dataclass(frozen=True)
class Claim:
    """This request holds the key; `owner` proves it when the answer is stored or the key released."""

    pk: str
    owner: str


@dataclass(frozen=True)
class Record:
    """What another request left under the key."""

    status: str
    request_hash: str
    response_status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    too_large: bool = False


class IdempotencyStore:
    """Failed AWS calls raise `StorageUnavailable`."""

    def __init__(
        self,
        client: Any,
        table: str,
        *,
        ttl_seconds: int,
        lock_seconds: int,
        max_response_bytes: int = IDEMPOTENCY_MAX_RESPONSE_BYTES,
    ) -> None:
        self._client = client
        self.table = table
        self._ttl_seconds = ttl_seconds
        self._lock_seconds = lock_seconds
        self.max_response_bytes = max_response_bytes

    def claim(self, pk: str, request_hash: str, now_s: int) -> Claim | Record:
        """Take the key for this request (a `Claim`), or the `Record` of the request that has it."""
        for _ in range(2):
            owner = uuid.uuid4().hex
            item = {
                "pk": pk,
                "status": IN_PROGRESS,
                "requestHash": request_hash,
                "owner": owner,
                "expires": now_s + self._ttl_seconds,
                "lockedUntil": now_s + self._lock_seconds,
            }
            try:
                self._client.put_item(
                    TableName=self.table,
                    Item=to_item(item),
                    ConditionExpression=(
                        "attribute_not_exists(pk) OR expires < :now"
                        " OR (#status = :in_progress AND lockedUntil < :now)"
                    ),
                    ExpressionAttributeNames={"#status": "status"},
                    ExpressionAttributeValues=to_item({":now": now_s, ":in_progress": IN_PROGRESS}),
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
                return Claim(pk, owner)
            except ClientError as exc:
                if error_code(exc) != _CHECK_FAILED:
                    log.error("claiming idempotency key failed: %s", exc)
                    raise StorageUnavailable(UNAVAILABLE, code=error_code(exc)) from exc
                held = exc.response.get("Item") or self._get(pk)
            except BotoCoreError as exc:
                log.error("claiming idempotency key failed: %s", exc)
                raise StorageUnavailable(UNAVAILABLE) from exc
            if held is not None:
                return _record(from_item(held))
            # Released (a 5xx) between our put and our read: try once more.
        return Record(status=IN_PROGRESS, request_hash=request_hash)

    def _get(self, pk: str) -> dict[str, Any] | None:
        with store_errors(UNAVAILABLE, "reading an idempotency record"):
            answer = self._client.get_item(TableName=self.table, Key=to_item({"pk": pk}), ConsistentRead=True)
        return answer.get("Item")

    def complete(self, claim: Claim, status: int, body: bytes, content_type: str | None) -> bool:
        """Keep the answer for replays; False when it is too large to keep (only that it completed is)."""
        packed = zlib.compress(body, 6)
        too_large = len(packed) > self.max_response_bytes
        values: dict[str, Any] = {":done": DONE, ":status": status, ":owner": claim.owner}
        updates = "#status = :done, responseStatus = :status"
        if too_large:
            updates += ", tooLarge = :true"
            values[":true"] = True
        else:
            updates += ", responseBody = :body"
            values[":body"] = packed
            if content_type:
                updates += ", contentType = :type"
                values[":type"] = content_type
        with store_errors(UNAVAILABLE, "storing an idempotent answer"):
            self._client.update_item(
                TableName=self.table,
                Key=to_item({"pk": claim.pk}),
                UpdateExpression=f"SET {updates} REMOVE lockedUntil",
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
                ExpressionAttributeValues=to_item(values),
            )
        return not too_large

    def release(self, claim: Claim) -> None:
        """Forget the key (the request failed in a way a retry may fix); only while we own it."""
        try:
            self._client.delete_item(
                TableName=self.table,
                Key=to_item({"pk": claim.pk}),
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues=to_item({":owner": claim.owner}),
            )
        except ClientError as exc:
            if error_code(exc) == _CHECK_FAILED:
                return  # someone else holds it now
            log.error("releasing an idempotency key failed: %s", exc)
            raise StorageUnavailable(UNAVAILABLE, code=error_code(exc)) from exc
        except BotoCoreError as exc:
            log.error("releasing an idempotency key failed: %s", exc)
            raise StorageUnavailable(UNAVAILABLE) from exc


def _record(item: dict[str, Any]) -> Record:
    packed = item.get("responseBody")
    return Record(
        status=str(item.get("status", IN_PROGRESS)),
        request_hash=str(item.get("requestHash", "")),
        response_status=item.get("responseStatus"),
        body=zlib.decompress(bytes(packed)) if packed is not None else None,
        content_type=item.get("contentType"),
        too_large=bool(item.get("tooLarge", False)),
    )
