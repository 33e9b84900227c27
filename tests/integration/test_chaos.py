"""Chaos in the local stack: the embedded AWS goes down and comes back; a function worker dies.

One stack of its own (it kills things), `--auth none` (a restarted moto cannot bring back the
user pool under the id the function was started with). Every wait is bounded.

GIVEN a running stack WHEN its embedded AWS (moto) is killed mid-run THEN uploads answer 503 with
a message, /api/health names every table and the bucket unreachable, and the WebSocket side keeps
answering; WHEN it is restarted on the same port (SIGUSR2: empty, provisioned again from the
template) THEN uploads, health and live updates work again without restarting the stack.
GIVEN a request in flight WHEN the worker running it is killed THEN that request gets API
Gateway's `{"message": "Internal Server Error"}` and the next one is served by a new worker.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from websockets.exceptions import InvalidStatus

from tests.helpers.samples import fixture_bytes
from tests.helpers.stack_process import StackProcess
from tests.helpers.waiting import eventually
from tests.helpers.ws_client import WsClient

PDF = fixture_bytes("sample-invoice.pdf")
SLOW = fixture_bytes("invoice.png")  # OCR: long enough to kill its worker mid-request
_MOTO_PID = re.compile(r"embedded AWS on \S+ \(pid (\d+)\)")


@pytest.fixture(scope="module")
def chaos_stack() -> Iterator[StackProcess]:
    with StackProcess("--auth", "none") as running:
        yield running


def upload(stack: StackProcess, data: bytes = PDF, name: str = "sample-invoice.pdf") -> requests.Response:
    return requests.post(f"{stack.url}/api/invoices", files={"file": (name, data)}, timeout=60)


def health(stack: StackProcess) -> requests.Response:
    return requests.get(f"{stack.url}/api/health", timeout=30)


def test_an_outage_of_the_embedded_aws_then_its_recovery(chaos_stack: StackProcess) -> None:
    stack = chaos_stack
    assert upload(stack).status_code == 200
    watcher = WsClient(stack.ws_url).connect()
    try:
        os.kill(stack.pid, signal.SIGUSR1)  # kill moto
        assert eventually(lambda: health(stack).status_code == 503, timeout=30)

        down = health(stack).json()
        assert down["status"] == "degraded"
        assert set(down["checks"].values()) == {"unreachable"}
        refused = upload(stack)
        assert refused.status_code == 503
        assert refused.json()["error"]  # a message, not a traceback
        # The WebSocket side stays up: an open connection is answered, a new one is refused cleanly.
        watcher.send_json({"action": "ping"})
        assert watcher.wait_for("pong", timeout=20) == {"type": "pong"}
        with pytest.raises(InvalidStatus):
            WsClient(stack.ws_url).connect()

        os.kill(stack.pid, signal.SIGUSR2)  # moto again, same port, tables from the template
        assert eventually(lambda: health(stack).status_code == 200, timeout=60)
    finally:
        watcher._exit.close()

    # Recovered without restarting the stack: uploads are stored and the stream feeds live updates
    # (the connection opened before the outage is gone with moto's data; a new one is registered).
    viewer = WsClient(stack.ws_url).connect()
    try:
        stored = upload(stack)
        assert stored.status_code == 200, stored.text
        invoice_id = stored.json()["invoiceId"]
        got = requests.get(f"{stack.url}/api/invoices/{invoice_id}", timeout=30)
        assert got.status_code == 200
        update = viewer.wait_for("metrics-update", where=lambda f: f["data"]["total"] >= 1, timeout=30)
        assert update["data"]["total"] == 1  # moto restarted empty: only the new upload counts
    finally:
        viewer._exit.close()


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def busy_worker(stack: StackProcess) -> int | None:
    """The worker running OCR now: the one burning CPU (Tesseract reads in-process, on its threads)."""
    moto = {int(m[1]) for line in stack.log if (m := _MOTO_PID.search(line))}
    workers = [pid for pid in children(stack.pid) if pid not in moto]
    before = {pid: _cpu_ticks(pid) for pid in workers}
    time.sleep(0.1)
    for pid in workers:
        if _cpu_ticks(pid) - before[pid] >= 5:  # ≥ 50 ms of CPU in 100 ms: reading a page
            return pid
    return None


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_a_worker_killed_mid_request_answers_like_api_gateway_and_the_next_is_served(
    chaos_stack: StackProcess,
) -> None:
    stack = chaos_stack
    assert eventually(lambda: health(stack).status_code == 200, timeout=60)
    killed = None
    answers: list[requests.Response] = []
    for _attempt in range(3):  # the OCR may finish before the worker is found: try again
        answers.clear()
        thread = threading.Thread(target=lambda: answers.append(upload(stack, SLOW, "invoice.png")))
        thread.start()
        deadline = time.monotonic() + 30
        while killed is None and thread.is_alive() and time.monotonic() < deadline:
            worker = busy_worker(stack)
            if worker is not None:
                os.kill(worker, signal.SIGKILL)
                killed = worker
            time.sleep(0.02)
        thread.join(timeout=60)
        if killed is not None:
            break
    assert killed is not None, "no worker was ever seen running OCR"

    [answer] = answers
    assert answer.status_code == 500
    assert answer.json() == {"message": "Internal Server Error"}  # what an HTTP API answers
    # A new environment serves the next request.
    following = upload(stack)
    assert following.status_code == 200, following.text
    assert "invoiceId" in following.json()
