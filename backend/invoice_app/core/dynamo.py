"""DynamoDB helpers: plain values ↔ attribute values, and AWS failures as typed errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, DecimalException
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from .errors import StorageUnavailable

log = logging.getLogger(__name__)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_dynamo_value(value: Any) -> Any:
    if isinstance(value, float):
        # DynamoDB numbers are decimals; go through str so 0.1 stays 0.1.
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        # The serializer lets "-Infinity" through (DynamoDB would refuse the whole call).
        if not value.is_finite():
            raise TypeError(f"{value} is not a number DynamoDB can hold")
        return value
    if isinstance(value, dict):
        return {k: _to_dynamo_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_to_dynamo_value(v) for v in value]
    return value


def _to_plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _to_plain_value(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_to_plain_value(v) for v in value]
    return value


class UnstorableValue(ValueError):
    """A value DynamoDB cannot hold: NaN, an infinity, a number beyond 38 digits, an unknown type."""


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (floats allowed, None dropped) → a low-level DynamoDB item.

    `UnstorableValue` (a ValueError) names the attribute DynamoDB could not hold; the serializer's
    own `TypeError` / `decimal.Inexact` never escape.
    """
    item = {}
    for name, value in data.items():
        if value is None:
            continue
        try:
            item[name] = _serializer.serialize(_to_dynamo_value(value))
        except (TypeError, DecimalException) as exc:
            raise UnstorableValue(f"{name!r} cannot be stored in DynamoDB: {exc!r}") from exc
    return item


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A low-level DynamoDB item → a plain dict with ints and floats instead of Decimals."""
    return {k: _to_plain_value(_deserializer.deserialize(v)) for k, v in item.items()}


def error_code(exc: Exception) -> str:
    """The AWS error code of a botocore ClientError ('' for anything else)."""
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def http_status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None) or {}
    return response.get("ResponseMetadata", {}).get("HTTPStatusCode")


@contextmanager
def store_errors(public_message: str, action: str) -> Iterator[None]:
    """Turn a failed AWS call into `StorageUnavailable(public_message)`, logging `action` and why."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        log.error("%s failed: %s", action, exc)
        raise StorageUnavailable(public_message, code=error_code(exc)) from exc


@contextmanager
def versioned_write(stale: Callable[[], Exception], public_message: str, action: str) -> Iterator[None]:
    """Around a `TransactWriteItems` whose first item is conditioned on the stored version.

    That first condition failing means the record moved on since the caller read it: `stale()` is
    raised (the feature's own conflict error, answered as 409). Any other failure (another item's
    condition, throttling, the service down) is `StorageUnavailable(public_message)`: a transaction
    writes all of its items or none, so nothing was changed either way. The call itself stays in
    the module that owns the tables, where the IAM check of the template looks for it.
    """
    try:
        yield
    except ClientError as exc:
        reasons = exc.response.get("CancellationReasons") or []
        if error_code(exc) == "TransactionCanceledException" and any(
            r.get("Code") == "ConditionalCheckFailed" for r in reasons[:1]
        ):
            raise stale() from exc
        log.error("%s failed: %s", action, exc)
        raise StorageUnavailable(public_message, code=error_code(exc)) from exc
    except BotoCoreError as exc:
        log.error("%s failed: %s", action, exc)
        raise StorageUnavailable(public_message, code=error_code(exc)) from exc
