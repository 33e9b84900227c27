"""Fan-out through the @connections API (the loopback stand-in): paging, 410 Gone, throttling and
5xx retries, size limit, unreachable endpoints."""

from __future__ import annotations

import boto3
import pytest

from invoice_app.core.aws import AwsClients
from invoice_app.realtime.broadcaster import MAX_MESSAGE_BYTES, Broadcaster
from invoice_app.realtime.registry import ConnectionRegistry
from invoice_app.realtime.transport import RetryPolicy

FAST = RetryPolicy(attempts=3, base_ms=1, cap_ms=5)


@pytest.fixture
def registry(provisioned) -> ConnectionRegistry:
    # Pages of 10 items, so 25 connections take three scan pages.
    return ConnectionRegistry(boto3.client("dynamodb"), provisioned["CONNECTIONS_TABLE"], page_size=10)


@pytest.fixture
def broadcaster(registry) -> Broadcaster:
    return Broadcaster(registry, AwsClients("us-east-1"), workers=8, retry=FAST)


def register(registry: ConnectionRegistry, server, ids: list[str], live: bool = True) -> None:
    for cid in ids:
        registry.add(cid, connected_at_ms=1, source_ip="127.0.0.1", user_agent="test")
        if live:
            server.live.add(cid)


def remaining(registry: ConnectionRegistry) -> set[str]:
    return {cid for page in registry.iter_pages() for cid in page}


def test_reaches_every_connection_across_scan_pages(broadcaster, registry, connections_server) -> None:
    ids = [f"c{i:02d}=" for i in range(25)]
    register(registry, connections_server, ids)

    result = broadcaster.broadcast(
        connections_server.endpoint, {"type": "metrics-update", "data": {"total": 3}}
    )

    assert (result.connections, result.sent, result.gone, result.failed) == (25, 25, 0, 0)
    for cid in ids:
        assert connections_server.messages(cid) == [{"type": "metrics-update", "data": {"total": 3}}]


def test_gone_connections_are_deleted_and_only_those(broadcaster, registry, connections_server) -> None:
    register(registry, connections_server, ["live-1=", "live-2="])
    register(registry, connections_server, ["stale-1=", "stale-2=", "stale-3="], live=False)

    result = broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.gone, result.failed) == (2, 3, 0)
    assert remaining(registry) == {"live-1=", "live-2="}


def test_throttled_posts_are_retried_with_backoff(broadcaster, registry, connections_server) -> None:
    register(registry, connections_server, ["a=", "b="])
    connections_server.throttle_remaining = 2  # two 429 LimitExceededException answers first

    result = broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.failed, result.retries) == (2, 0, 2)
    assert connections_server.requests == 4


def test_server_errors_are_retried(broadcaster, registry, connections_server) -> None:
    register(registry, connections_server, ["a=", "b=", "c="])
    connections_server.fail_remaining = 2  # two 503s, then the service recovers

    result = broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.failed, result.retries) == (3, 0, 2)
    for cid in ("a=", "b=", "c="):
        assert connections_server.messages(cid) == [{"type": "pong"}]


def test_retries_exhausted_count_as_failed_and_keep_the_record(
    broadcaster, registry, connections_server, caplog
) -> None:
    caplog.set_level("INFO", logger="invoice_app.realtime.broadcaster")
    register(registry, connections_server, ["a="])
    connections_server.throttle_remaining = 100

    result = broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.failed, result.retries) == (0, 1, FAST.attempts - 1)
    assert connections_server.requests == FAST.attempts
    assert remaining(registry) == {"a="}
    assert "1 failed" in caplog.text and "2 retries" in caplog.text


def test_expired_viewers_are_closed_not_sent(broadcaster, registry, connections_server) -> None:
    from invoice_app.realtime.registry import Viewer

    viewer = Viewer("u1", "u1@example.com", "U", ("viewer",), token_expires_at=1)
    registry.add("old=", connected_at_ms=1, source_ip="", user_agent="", viewer=viewer)
    connections_server.live.add("old=")

    result = broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.expired) == (0, 1)
    assert "old=" not in connections_server.live  # DELETE @connections/old=
    assert remaining(registry) == set()


def test_message_over_128_kb_is_never_sent(broadcaster, registry, connections_server) -> None:
    register(registry, connections_server, ["a="])

    result = broadcaster.broadcast(connections_server.endpoint, {"blob": "x" * MAX_MESSAGE_BYTES})

    assert result.skipped and result.sent == 0
    assert connections_server.requests == 0


def test_unreachable_endpoint_counts_failures_and_keeps_records(
    broadcaster, registry, connections_server
) -> None:
    register(registry, connections_server, ["a="])

    result = broadcaster.broadcast("http://127.0.0.1:9/none", {"type": "pong"})

    assert (result.sent, result.failed, result.retries) == (0, 1, FAST.attempts - 1)
    assert remaining(registry) == {"a="}


def test_without_endpoint_nothing_is_sent(broadcaster, registry, connections_server) -> None:
    register(registry, connections_server, ["a="])

    assert broadcaster.broadcast(None, {"type": "pong"}).skipped
