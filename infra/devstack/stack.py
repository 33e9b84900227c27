"""The whole local stack in one object: embedded AWS, the function, the gateway, the stream poller.

    with LocalStack(StackConfig(port=0)) as stack:
        print(stack.url, stack.ws_url)

The function runs in worker processes with the environment the stack hands them (never set in
this process's `os.environ`), pointed at the embedded moto server through boto3's standard
AWS_ENDPOINT_URL. The stack's own boto3 clients name endpoint, region and credentials explicitly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import uvicorn

from invoice_app.core.limits import (
    DEFAULT_MAX_S3_UPLOAD_BYTES,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_TABLES,
    DEFAULT_UPLOADS_BUCKET,
    WS_MAX_MESSAGE_BYTES,
)

from . import redact
from .auth import LocalCognito, LocalUser, provision_cognito
from .gateway import Gateway, Limits
from .lambda_runtime import LocalLambda
from .moto_process import EmbeddedAws
from .queues import QueuePoller, mapping_settings, provision_queues
from .streams import StreamPoller, is_correction
from .template import connect_authorizer, load_template, provision, resources

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FRONTEND = ROOT / "frontend" / "out"

# The resources' names: the app's defaults (the function is also told them explicitly).
LOCAL_NAMES = {**DEFAULT_TABLES, "UPLOADS_BUCKET": DEFAULT_UPLOADS_BUCKET}


@dataclass
class StackConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    stage: str = "ws"
    broadcast_mode: str = "stream"
    frontend_dir: Path | None = DEFAULT_FRONTEND
    limits: Limits = field(default_factory=Limits)
    concurrency: int = 4  # function environments (processes)
    stream_batch_size: int = 100
    stream_window_s: float = 0.0
    stream_poll_interval_s: float = 0.1  # uploads through the gateway also poke the poller
    extra_env: dict[str, str] = field(default_factory=dict)
    # "cognito": the template's user pool in moto, seeded users, the $connect authorizer played;
    # "none": no pool, AUTH_MODE=none, and every route open.
    auth: str = "cognito"
    user_password: str | None = None  # the seeded users' password (default: random per start)
    server_log_level: str = "warning"  # uvicorn's own (at info it logs every WebSocket upgrade)
    # Sharded fan-out: None keeps the app's default (2,000); 2 shows shards with a few tabs.
    shard_size: int | None = None
    # A failed shard reappears after this long locally (the template's visibility: 180 s).
    queue_retry_visibility_s: int | None = 1
    # Log when each stage of a broadcast happens (DEBUG on devstack.timeline and
    # invoice_app.timeline; bench/e2e_latency.py reads the lines).
    timeline: bool = False


class _DenialResponseNoise(logging.Filter):
    """uvicorn's websockets-sansio protocol (0.54) logs an ERROR after every denial response it
    sent (a 401/403/500 to an upgrade, which the authorizer answers on purpose): drop that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing handshake."


def websocket_route_keys(template: dict[str, Any]) -> list[str]:
    """The WebSocket API's route keys as the template declares them."""
    return [r["Properties"]["RouteKey"] for r in resources(template, "AWS::ApiGatewayV2::Route").values()]


class LocalStack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self._aws: EmbeddedAws | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._poller: StreamPoller | None = None  # the metrics table's
        self._pollers: list[StreamPoller] = []  # every mapped table's (metrics, invoices)
        self.queue_poller: QueuePoller | None = None  # the broadcast queue's
        self.queues: dict[str, str] = {}  # url, arn, dlq_url of the broadcast queue
        self._function: LocalLambda | None = None
        self._socket: socket.socket | None = None
        self.gateway: Gateway | None = None
        self.aws_endpoint = ""
        self._aws_lock = threading.Lock()
        self._provision_aws: Callable[[], None] = lambda: None
        self.cognito: LocalCognito | None = None  # the local user pool (auth "cognito")
        self._started: contextlib.ExitStack | None = None  # what stop() unwinds

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._socket is not None, "not started"
        return self._socket.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.config.host}:{self.port}/{self.config.stage}"

    @property
    def users(self) -> dict[str, LocalUser]:
        """The seeded users by role (viewer, reviewer, admin); empty with auth "none"."""
        return dict(self.cognito.users) if self.cognito else {}

    @property
    def cognito_client_id(self) -> str:
        assert self.cognito is not None, "auth is 'none'"
        return self.cognito.client_id

    # -- lifecycle ---------------------------------------------------------------------------
    def _auth_environment(self) -> dict[str, str]:
        if self.cognito is None:
            return {"AUTH_MODE": "none"}
        return {
            "AUTH_MODE": "cognito",
            "COGNITO_USER_POOL_ID": self.cognito.pool_id,
            "COGNITO_CLIENT_ID": self.cognito.client_id,
            # The keys of moto's pool; the issuer stays the pool's AWS URL (what moto signs).
            "COGNITO_JWKS_URL": self.cognito.jwks_url,
        }

    def _function_environment(self) -> dict[str, str]:
        return {
            **LOCAL_NAMES,
            "AWS_ENDPOINT_URL": self.aws_endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "WS_ENDPOINT": self.ws_url,
            "BROADCAST_MODE": self.config.broadcast_mode,
            "CORS_ORIGINS": f"{self.url},http://localhost:{self.port}",
            **self._auth_environment(),
            **self.config.extra_env,
        }

    def start(self) -> LocalStack:
        # Each part registers its cleanup as soon as it exists: a step that fails part-way
        # unwinds what was already started (moto, the workers, the server) before re-raising.
        with contextlib.ExitStack() as started:
            self._start(started)
            self._started = started.pop_all()
        log.info("local stack on %s (WebSocket %s, AWS %s)", self.url, self.ws_url, self.aws_endpoint)
        return self

    def _start(self, started: contextlib.ExitStack) -> None:
        cfg = self.config
        self._aws = EmbeddedAws()
        started.callback(self._aws.stop)  # registered before start: a timed-out start still stops it
        self._aws.start()
        self.aws_endpoint = self._aws.endpoint
        # Bind first: the function's WS_ENDPOINT needs the real port before it is built.
        self._socket = started.enter_context(socket.create_server((cfg.host, cfg.port), reuse_port=False))
        if cfg.auth not in ("cognito", "none"):
            raise ValueError(f"auth must be 'cognito' or 'none', not {cfg.auth!r}")
        # The stack's own clients: the same account as the function's, without os.environ.
        session = boto3.Session(
            aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
        )
        template = load_template()
        if cfg.auth == "cognito":
            # Before the function's environment: it names the pool and the client.
            self.cognito = provision_cognito(
                session.client("cognito-idp", endpoint_url=self.aws_endpoint),
                self.aws_endpoint,
                password=cfg.user_password,
                template=template,
            )
        env = self._function_environment()

        def provision_aws() -> None:
            provision(
                session.client("dynamodb", endpoint_url=self.aws_endpoint),
                session.client("s3", endpoint_url=self.aws_endpoint),
                LOCAL_NAMES,
                # The browser posts large files straight to the embedded S3 (presigned POST URLs
                # point at it, on loopback like the gateway), so its bucket answers the page's origins.
                cors_origins=env["CORS_ORIGINS"].split(","),
            )

        provision_aws()
        self._provision_aws = provision_aws

        # The broadcast queue and its DLQ, as declared (sharded fan-out, catch-up broadcasts).
        sqs = session.client("sqs", endpoint_url=self.aws_endpoint)
        self.queues = provision_queues(sqs, template)
        env["BROADCAST_QUEUE_URL"] = self.queues["url"]
        if cfg.shard_size is not None:
            env["BROADCAST_SHARD_SIZE"] = str(cfg.shard_size)

        timeline = {"invoice_app.timeline": logging.DEBUG} if cfg.timeline else {}
        if cfg.timeline:
            logging.getLogger("devstack.timeline").setLevel(logging.DEBUG)
        self._function = LocalLambda(
            code_dir=ROOT / "backend", concurrency=cfg.concurrency, environment=env, logger_levels=timeline
        )
        started.callback(self._function.close)
        self.queue_poller = QueuePoller(
            sqs,
            self.queues["url"],
            self.queues["arn"],
            self._function.invoke_sync,
            retry_visibility_s=cfg.queue_retry_visibility_s,
            **mapping_settings(template),
        )

        def poller(table: str, **options: Any) -> StreamPoller:
            return StreamPoller(
                session.client("dynamodb", endpoint_url=self.aws_endpoint),
                session.client("dynamodbstreams", endpoint_url=self.aws_endpoint),
                table,
                self._function.invoke_sync,
                batch_size=cfg.stream_batch_size,
                window_s=cfg.stream_window_s,
                poll_interval_s=cfg.stream_poll_interval_s,
                **options,
            )

        self._poller = poller(LOCAL_NAMES["METRICS_TABLE"])
        # Corrections reach the viewers of an invoice (`invoice-updated`) through its stream.
        invoices_poller = poller(LOCAL_NAMES["INVOICES_TABLE"], keep=is_correction)
        self._pollers = [self._poller, invoices_poller]
        seen_by_function = {**os.environ, **env}
        self.gateway = Gateway(
            self._function,
            stage=cfg.stage,
            route_keys=websocket_route_keys(template),
            static_dir=cfg.frontend_dir,
            limits=cfg.limits,
            # What the function sees: the inherited environment with its own on top.
            max_upload_bytes=int(seen_by_function.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
            max_large_upload_bytes=int(
                seen_by_function.get("MAX_S3_UPLOAD_BYTES", DEFAULT_MAX_S3_UPLOAD_BYTES)
            ),
            # Uploads and corrections through the gateway poke the pollers: read at once.
            after_http_invocation=self._poke_pollers,
            # The template's $connect authorizer, played only when the function checks tokens.
            authorizer=connect_authorizer(template) if self.cognito else None,
            auth_config=self.cognito.config_document() if self.cognito else {"mode": "none"},
        )
        # The page's CSP lets it reach the embedded AWS (Cognito's endpoint, presigned S3 POSTs).
        self.gateway.static.extra_connect_src = (self.aws_endpoint,)
        uv_config = uvicorn.Config(
            self.gateway.app,
            ws="websockets-sansio",
            ws_max_size=WS_MAX_MESSAGE_BYTES,  # larger client messages close with 1009
            ws_ping_interval=None,  # API Gateway sends no pings; idle clients must send messages
            ws_per_message_deflate=False,
            lifespan="off",
            log_level=cfg.server_log_level,
            access_log=False,
            timeout_graceful_shutdown=3,
            backlog=2048,
        )
        logging.getLogger("uvicorn.error").addFilter(_DenialResponseNoise())
        redact.install()  # after uvicorn's Config set up its handlers: no token reaches a log line
        self._server = uvicorn.Server(uv_config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="gateway", daemon=True
        )
        self._thread.start()
        started.callback(self._stop_server)

        for poller in self._pollers:
            poller.start()
            started.callback(poller.stop)
        self.queue_poller.start()
        started.callback(self.queue_poller.stop)
        self._wait_until_serving()

    # -- chaos: an outage of the embedded AWS (SIGUSR1 kills it, SIGUSR2 brings it back) -----

    def kill_aws(self) -> None:
        """Kill the embedded AWS: every DynamoDB/S3 call fails until `restart_aws`."""
        assert self._aws is not None
        self._aws.kill()

    def restart_aws(self) -> None:
        """A new moto on the same port, its tables and bucket created again from the template.

        It starts empty (moto holds everything in memory; a real AWS outage would keep the data).
        The stream pollers find the new streams themselves; nothing else restarts. The user pool
        is not re-created (its id would change and the function's settings name it): with
        `--auth cognito`, tokens issued before stay valid, new sign-ins need a restarted stack.
        """
        assert self._aws is not None
        with self._aws_lock:
            if self._aws.alive:
                log.info("embedded AWS is running; nothing to restart")
                return
            self._aws.restart()
            self._provision_aws()
        if self.cognito is not None:
            log.warning("embedded AWS restarted without the user pool: restart the stack to sign in anew")
        log.warning(
            "embedded AWS restarted on %s (empty: tables and bucket from the template)", self.aws_endpoint
        )

    def _poke_pollers(self) -> None:
        for poller in self._pollers:
            poller.poke()

    def _wait_until_serving(self, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not (self._server and self._server.started):
            if time.monotonic() > deadline or not (self._thread and self._thread.is_alive()):
                raise RuntimeError("the local gateway did not start")
            time.sleep(0.02)

    def wait(self) -> None:
        """Block until the gateway stops (Ctrl-C)."""
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            log.info("stopping")

    def _stop_server(self) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def stop(self) -> None:
        """Stop what start() started, last started first: poller, server, workers, socket, moto."""
        started, self._started = self._started, None
        if started is not None:
            started.close()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
