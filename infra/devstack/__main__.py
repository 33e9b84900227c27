"""`python -m devstack`: run the whole app locally — embedded AWS, local API Gateway, stream poller."""

from __future__ import annotations

import argparse
import logging
import os
import resource
import signal
import threading
from pathlib import Path

from invoice_app.core.limits import WS_IDLE_TIMEOUT_SECONDS, WS_MAX_CONNECTION_LIFE_SECONDS

from . import redact
from .auth import users_block
from .gateway import Limits
from .stack import DEFAULT_FRONTEND, LocalStack, StackConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--broadcast-mode", choices=("stream", "inline"), default="stream")
    parser.add_argument("--frontend", type=Path, default=DEFAULT_FRONTEND, help="static build to serve")
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=float(WS_IDLE_TIMEOUT_SECONDS),
        help=f"seconds (API Gateway: {WS_IDLE_TIMEOUT_SECONDS})",
    )
    parser.add_argument(
        "--max-connection-life",
        type=float,
        default=float(WS_MAX_CONNECTION_LIFE_SECONDS),
        help=f"seconds (API Gateway: {WS_MAX_CONNECTION_LIFE_SECONDS})",
    )
    parser.add_argument(
        "--no-disconnect-events",
        action="store_true",
        help="never invoke $disconnect (API Gateway only promises best effort)",
    )
    parser.add_argument("--stream-batch-size", type=int, default=100)
    parser.add_argument("--stream-window", type=float, default=0.0, help="batching window, seconds")
    parser.add_argument(
        "--auth",
        choices=("cognito", "none"),
        default="cognito",
        help="cognito: the template's user pool with one seeded user per role; none: no sign-in",
    )
    parser.add_argument(
        "--user-password", metavar="PW", help="password of the seeded users (default: random per start)"
    )
    parser.add_argument(
        "--shard-size",
        type=int,
        default=int(os.environ["BROADCAST_SHARD_SIZE"]) if os.environ.get("BROADCAST_SHARD_SIZE") else None,
        help="connections per broadcast shard (env BROADCAST_SHARD_SIZE; 2 shows shards with a few tabs)",
    )
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="log when each stage of a broadcast happens, whatever --log-level (bench/e2e_latency.py)",
    )
    parser.add_argument(
        "--upload-rate",
        type=int,
        default=600,
        help="UPLOAD_RATE_PER_MINUTE per user (600: the demo and benches upload as one user; AWS: 30)",
    )
    return parser.parse_args(argv)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # the same clean shutdown as Ctrl-C


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Every WebSocket client is a file descriptor: allow as many as the system does.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = StackConfig(
        host=args.host,
        port=args.port,
        broadcast_mode=args.broadcast_mode,
        frontend_dir=args.frontend,
        limits=Limits(
            idle_timeout_s=args.idle_timeout,
            max_life_s=args.max_connection_life,
            deliver_disconnect=not args.no_disconnect_events,
        ),
        stream_batch_size=args.stream_batch_size,
        stream_window_s=args.stream_window,
        auth=args.auth,
        user_password=args.user_password,
        shard_size=args.shard_size,
        timeline=args.timeline,
        # uvicorn's own lines (one per WebSocket upgrade) only when asked for debug output
        server_log_level="debug" if args.log_level.upper() == "DEBUG" else "warning",
        extra_env={"UPLOAD_RATE_PER_MINUTE": str(args.upload_rate)},
    )
    redact.install()
    stack = LocalStack(config).start()
    if stack.cognito is not None:
        # Once, before the ready line (tests/helpers/stack_process.py reads both).
        print(users_block(stack.cognito), flush=True)  # noqa: T201
    frontend = "" if stack.gateway and stack.gateway.static_dir else " (no frontend build: API only)"
    # The one line tools and tests wait for; keep its shape.
    print(  # noqa: T201
        f"Local stack ready: {stack.url}  WebSocket: {stack.ws_url}  AWS: {stack.aws_endpoint}{frontend}",
        flush=True,
    )

    # Chaos (tests/integration/test_chaos.py): SIGUSR1 kills the embedded AWS, SIGUSR2 restarts it
    # on the same port, provisioned again from the template. Off the signal handler's frame: a
    # restart takes a second or two.
    def _chaos(signum: int, frame: object) -> None:
        action = stack.kill_aws if signum == signal.SIGUSR1 else stack.restart_aws
        threading.Thread(target=action, name="chaos", daemon=True).start()

    signal.signal(signal.SIGUSR1, _chaos)
    signal.signal(signal.SIGUSR2, _chaos)
    try:
        stack.wait()
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
