"""The composition root: every feature's store, built once per process on first use.

Features receive what they need from here; none of them builds its own AWS client or reads the
environment. Building on first use keeps the cold start free of clients it does not need, and each
store's module is imported in its property: an HTTP request does not load the WebSocket hub, nor a
stream batch the review history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .core.aws import AwsClients
from .core.failures import FailureCounter
from .core.settings import Settings

if TYPE_CHECKING:
    from .auth.tokens import TokenVerifier
    from .documents.cache import PageCache
    from .idempotency.store import IdempotencyStore
    from .invoices.repository import InvoiceRepository
    from .metrics.live import Pacing
    from .metrics.store import MetricsStore
    from .processing.pipeline import DocumentProcessor
    from .ratelimit.store import FixedWindowLimiter
    from .ratelimit.websocket import MessageGate
    from .realtime.broadcaster import Broadcaster
    from .realtime.hub import Realtime
    from .realtime.presence import Presence
    from .realtime.registry import ConnectionRegistry
    from .realtime.shards import ShardLedger, ShardQueue
    from .realtime.topics import TopicStore
    from .realtime.transport import ManagementApi
    from .review.history import ReviewStore
    from .uploads.store import UploadStore
    from .visualizations.live import CursorRelay
    from .visualizations.store import VisualizationStore


@dataclass
class Services:
    settings: Settings
    aws: AwsClients
    failures: FailureCounter = field(default_factory=FailureCounter)
    # How the pool's public keys are read (None: over HTTPS from settings.jwks_url).
    jwks_fetch: Callable[[str], dict[str, Any]] | None = None

    def token_verifier(self) -> TokenVerifier:
        """The Cognito token verifier, built (and PyJWT imported) on the first checked request."""
        return self._token_verifier

    @cached_property
    def _token_verifier(self) -> TokenVerifier:
        from .auth.tokens import Jwks, TokenVerifier

        settings = self.settings
        jwks = Jwks(settings.jwks_url, self.jwks_fetch) if self.jwks_fetch else Jwks(settings.jwks_url)
        return TokenVerifier(settings.cognito_user_pool_id or "", settings.cognito_client_ids, jwks)

    @cached_property
    def invoices(self) -> InvoiceRepository:
        from .invoices.repository import InvoiceRepository

        return InvoiceRepository(self.aws.dynamodb, self.settings.invoices_table)

    @cached_property
    def review(self) -> ReviewStore:
        from .review.history import ReviewStore

        return ReviewStore(self.aws.dynamodb, self.settings.history_table, self.invoices)

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        from .idempotency.store import IdempotencyStore

        settings = self.settings
        return IdempotencyStore(
            self.aws.dynamodb,
            settings.idempotency_table,
            ttl_seconds=settings.idempotency_ttl_seconds,
            lock_seconds=settings.idempotency_lock_seconds,
        )

    def rate_limiter(self, scope: str) -> FixedWindowLimiter:
        """The per-user limiter of `scope` ("upload"), in the idempotency table (ratelimit/store.py)."""
        return self._rate_limiters[scope]

    @cached_property
    def _rate_limiters(self) -> dict[str, FixedWindowLimiter]:
        from .ratelimit.store import FixedWindowLimiter

        settings = self.settings
        return {
            "upload": FixedWindowLimiter(
                self.aws.dynamodb,
                settings.idempotency_table,
                scope="upload",
                limit=settings.upload_rate_per_minute,
                window_seconds=60,
            )
        }

    @cached_property
    def uploads(self) -> UploadStore:
        from .uploads.store import UploadStore

        return UploadStore(self.aws.s3, self.settings.uploads_bucket)

    @cached_property
    def page_cache(self) -> PageCache:
        """The uploads' rendered pages (documents/cache.py): the page images beside the originals."""
        from .documents.cache import PageCache

        return PageCache(self.aws.s3, self.settings.uploads_bucket)

    @cached_property
    def metrics(self) -> MetricsStore:
        from .metrics.store import MetricsStore

        return MetricsStore(
            self.aws.dynamodb,
            self.settings.metrics_table,
            retention_seconds=self.settings.metrics_retention_seconds,
        )

    @cached_property
    def connections(self) -> ConnectionRegistry:
        from .realtime.registry import ConnectionRegistry

        return ConnectionRegistry(
            self.aws.dynamodb,
            self.settings.connections_table,
            ttl_seconds=self.settings.connection_ttl_seconds,
        )

    @cached_property
    def topics(self) -> TopicStore:
        from .realtime.topics import TopicStore

        return TopicStore(
            self.aws.dynamodb, self.settings.topics_table, ttl_seconds=self.settings.connection_ttl_seconds
        )

    @cached_property
    def presence(self) -> Presence:
        from .realtime.presence import Presence

        presence = Presence(self.topics, self.connections, self.broadcaster)
        # Only those who may see a visualization subscribe to it (the routes' rule); the store is
        # built on the first such subscribe, not here.
        presence.guard(
            "visualization:",
            lambda viz_id, viewer: self._visualization_check(viz_id, viewer),
        )
        return presence

    def _visualization_check(self, viz_id: str, viewer: Any) -> bool:
        from .visualizations.live import subscribe_check

        return subscribe_check(self.visualizations.get)(viz_id, viewer)

    @cached_property
    def visualizations(self) -> VisualizationStore:
        from .visualizations.store import VisualizationStore

        return VisualizationStore(self.aws.dynamodb, self.settings.visualizations_table)

    @cached_property
    def cursor_relay(self) -> CursorRelay:
        from .visualizations.live import CursorRelay, audience_of

        return CursorRelay(
            self.topics, self.broadcaster, self.failures, audience=audience_of(self.visualizations.get)
        )

    @cached_property
    def broadcaster(self) -> Broadcaster:
        from .realtime.broadcaster import Broadcaster
        from .realtime.transport import RetryPolicy

        settings = self.settings
        retry = RetryPolicy(
            attempts=settings.broadcast_retry_attempts,
            base_ms=settings.broadcast_retry_base_ms,
            cap_ms=settings.broadcast_retry_cap_ms,
        )
        broadcaster = Broadcaster(self.connections, self.aws, workers=settings.broadcast_workers, retry=retry)
        if self.broadcast_queue is not None:
            broadcaster.use_shards(self.broadcast_queue, settings.broadcast_shard_size)
        return broadcaster

    @cached_property
    def broadcast_queue(self) -> ShardQueue | None:
        """The sharded fan-out's SQS queue (BROADCAST_QUEUE_URL); None: no sharding."""
        if not self.settings.broadcast_queue_url:
            return None
        from .realtime.shards import ShardQueue

        return ShardQueue(lambda: self.aws.sqs, self.settings.broadcast_queue_url)

    @cached_property
    def shard_ledger(self) -> ShardLedger:
        from .realtime.shards import ShardLedger

        return ShardLedger(self.aws.dynamodb, self.settings.idempotency_table)

    @cached_property
    def pacing(self) -> Pacing:
        """The adaptive broadcast interval (BROADCAST_MAX_RATE), shared through DynamoDB."""
        from .metrics.live import Pacing
        from .realtime.pacing import BroadcastPacer

        pacer = BroadcastPacer(
            self.aws.dynamodb, self.settings.idempotency_table, max_rate=self.settings.broadcast_max_rate
        )
        return Pacing(pacer, self.broadcast_queue, self.failures)

    @cached_property
    def realtime(self) -> Realtime:
        from .metrics.live import register_actions
        from .realtime.hub import Realtime

        hub = Realtime(
            registry=self.connections,
            broadcaster=self.broadcaster,
            failures=self.failures,
            configured_endpoint=self.settings.management_endpoint,
            require_viewer=self.settings.auth_mode == "cognito",
        )
        register_actions(hub.actions, self.metrics)
        hub.presence = self.presence
        self.presence.register(hub.actions)
        self.cursor_relay.register(hub.actions)
        return hub

    @cached_property
    def ws_gate(self) -> MessageGate:
        """Per-connection size and rate limits of WebSocket client messages (ratelimit/websocket.py)."""
        from .ratelimit.websocket import MessageGate

        return MessageGate(rate=self.settings.ws_messages_per_second, burst=self.settings.ws_message_burst)

    @cached_property
    def ws_closer(self) -> ManagementApi:
        """`DELETE @connections/{id}` for a connection the gate closes (two attempts, then TTL)."""
        from .realtime.transport import ManagementApi, RetryPolicy

        return ManagementApi(self.aws, pool_size=2, retry=RetryPolicy(attempts=2))

    @cached_property
    def processor(self) -> DocumentProcessor:
        # The processing stack (regexes, engines) loads on the first upload, not at cold start, and
        # Textract's client is only built if a document needs it (never for text-layer PDFs).
        from .processing.pipeline import DocumentProcessor

        return DocumentProcessor(
            self.settings.ocr_engine,
            textract_client=lambda: self.aws.textract,
            tesseract_languages=self.settings.tesseract_languages,
            second_engine=self.settings.ocr_second_engine,
        )

    def management_endpoint(self, request_context: dict[str, Any] | None = None) -> str | None:
        """The @connections URL for a WebSocket event (see `Realtime.endpoint`)."""
        return self.realtime.endpoint(request_context)
