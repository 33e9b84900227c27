"""Start the local stack (`python -m devstack`) in a subprocess on a free port, for tests and benches."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
_READY = re.compile(r"Local stack ready: (?P<url>\S+)\s+WebSocket: (?P<ws>\S+)\s+AWS: (?P<aws>\S+)")
# The block `python -m devstack` prints before the ready line (devstack/auth.py: users_block).
_COGNITO = re.compile(r"Local Cognito: pool (?P<pool>\S+)\s+client (?P<client>\S+)")
_USER = re.compile(r"^\s+(?P<role>\w+): (?P<email>\S+)\s+password: (?P<password>\S+)\s+\((?P<name>[^)]*)\)$")


@dataclass(frozen=True)
class StackUser:
    """A user the stack seeded (what `devstack.auth.StackUser` is in-process)."""

    role: str
    email: str
    name: str
    password: str


class StackProcess:
    """`with StackProcess("--idle-timeout", "2") as stack:` → stack.url, stack.ws_url, stack.aws_endpoint."""

    def __init__(
        self, *args: str, frontend: Path | None = None, port: int = 0, startup_timeout: float = 60.0
    ) -> None:
        self.args = list(args)
        self.frontend = frontend
        self.port = port
        self.startup_timeout = startup_timeout
        self.url = self.ws_url = self.aws_endpoint = ""
        self.log: deque[str] = deque(maxlen=2000)
        # The seeded users by role and the pool's ids (empty with "--auth", "none").
        self.users: dict[str, StackUser] = {}
        self.cognito_pool_id = self.cognito_client_id = ""
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> StackProcess:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("backend", "infra", "."))}
        for var in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "WS_ENDPOINT"):
            env.pop(var, None)
        frontend = str(self.frontend) if self.frontend else str(ROOT / ".build" / "no-frontend")
        cmd = [sys.executable, "-m", "devstack", "--port", str(self.port), "--frontend", frontend, *self.args]
        self._proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        ready = threading.Event()

        def pump() -> None:
            assert self._proc and self._proc.stdout
            for line in self._proc.stdout:
                self.log.append(line.rstrip())
                if not ready.is_set() and (found := _COGNITO.search(line)):
                    self.cognito_pool_id, self.cognito_client_id = found["pool"], found["client"]
                elif not ready.is_set() and (user := _USER.match(line.rstrip())):
                    self.users[user["role"]] = StackUser(
                        role=user["role"], email=user["email"], name=user["name"], password=user["password"]
                    )
                if match := _READY.search(line):
                    self.url, self.ws_url, self.aws_endpoint = match["url"], match["ws"], match["aws"]
                    self.port = int(self.url.rsplit(":", 1)[1])  # a restart comes back on the same port
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        while not ready.wait(0.1):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("local stack did not start:\n" + "\n".join(self.log))
        return self

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def client(self, service: str):
        """A boto3 client on the stack's embedded AWS (to look at what the function stored)."""
        return boto3.client(
            service,
            endpoint_url=self.aws_endpoint,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def dynamodb(self):
        return self.client("dynamodb")

    def s3(self):
        return self.client("s3")

    def connection_ids(self) -> set[str]:
        items = self.dynamodb().scan(TableName="WSConnections")["Items"]
        return {item["connectionId"]["S"] for item in items}

    def __enter__(self) -> StackProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
