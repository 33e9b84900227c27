"""End-to-end fixtures: the local stack serving the real frontend build, and headless Chromium.

Chromium is Debian's (`/usr/bin/chromium`, installed by .ci/run); Playwright never downloads a
browser. Without Chromium or a frontend build these tests skip — unless E2E_REQUIRED=1 (CI),
where a missing prerequisite is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.stack_process import ROOT, StackProcess

FRONTEND_BUILD = ROOT / "frontend" / "out"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# What a headless Chromium needs on a machine without a network beyond package registries.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_stack() -> Iterator[StackProcess]:
    _require((FRONTEND_BUILD / "index.html").is_file(), "no frontend build (make test builds frontend/out)")
    with StackProcess(frontend=FRONTEND_BUILD) as stack:
        yield stack


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
