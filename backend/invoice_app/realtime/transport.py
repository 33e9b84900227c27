"""API Gateway's @connections management API: post one message to one connection.

As in Chalice's `WebsocketAPI`, the client is created lazily (per stage URL) and a 410 Gone becomes
the domain error `ConnectionGone`; the caller decides what to do with the stale record.
Throttling (429 LimitExceededException) and transient 5xx are retried by botocore's standard
retry mode with exponential backoff (see core/aws.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.aws import AwsClients
from ..core.dynamo import error_code, http_status
from ..core.limits import WS_MAX_MESSAGE_BYTES

log = logging.getLogger(__name__)

# API Gateway refuses WebSocket messages over 128 KB.
MAX_MESSAGE_BYTES = WS_MAX_MESSAGE_BYTES


class ConnectionGone(Exception):
    """The connection no longer exists (410): the client left without a clean close."""

    def __init__(self, connection_id: str) -> None:
        super().__init__(connection_id)
        self.connection_id = connection_id


class SendFailed(Exception):
    """A post that failed for another reason (after botocore's retries); the record is kept."""


class MessageTooLarge(ValueError):
    pass


def encode_message(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    if len(data) > MAX_MESSAGE_BYTES:
        raise MessageTooLarge(f"message of {len(data)} bytes exceeds API Gateway's {MAX_MESSAGE_BYTES}")
    return data


class ManagementApi:
    """Posts to the @connections API of WebSocket stages (one lazy boto3 client per stage URL)."""

    def __init__(self, clients: AwsClients) -> None:
        self._clients = clients

    def post(self, endpoint: str, connection_id: str, data: bytes) -> None:
        """Deliver one encoded message; raises ConnectionGone or SendFailed."""
        client = self._clients.management_api(endpoint)
        try:
            client.post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as exc:
            if error_code(exc) == "GoneException" or http_status(exc) == 410:
                raise ConnectionGone(connection_id) from exc
            raise SendFailed(str(exc)) from exc
        except BotoCoreError as exc:  # connection refused, timeouts after retries
            raise SendFailed(str(exc)) from exc

    def close(self, endpoint: str, connection_id: str) -> None:
        """Close a connection (DELETE @connections/{id}); one already gone counts as closed."""
        client = self._clients.management_api(endpoint)
        try:
            client.delete_connection(ConnectionId=connection_id)
        except ClientError as exc:
            if error_code(exc) == "GoneException" or http_status(exc) == 410:
                return
            raise SendFailed(str(exc)) from exc
        except BotoCoreError as exc:
            raise SendFailed(str(exc)) from exc
