"""Frontend figures: production JS of the home page (gzip), and metrics-update frame → number on screen.

The second figure is measured in headless Chromium against the local stack: the widget records a
performance measure from a frame's arrival to the first paint after it (`metrics-frame-to-screen`);
uploads trigger the frames.

    python bench/frontend.py [--frames 30]   (needs `make test` or `make dev` to have built frontend/out)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

import requests
from _stackbench import ROOT, StackProcess

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, FRONTEND_BUILD

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()
COLLECT = """
window.__frameToScreen = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (entry.name === "metrics-frame-to-screen") window.__frameToScreen.push(entry.duration);
}).observe({ type: "measure" });
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=30)
    args = parser.parse_args()

    size = subprocess.run(
        ["node", "scripts/bundle-size.mjs"], cwd=ROOT / "frontend", capture_output=True, text=True, check=True
    )
    print(size.stdout.strip())

    from playwright.sync_api import sync_playwright

    # Sign-in off: the page's frame-to-screen path is the same with or without it.
    with (
        StackProcess("--log-level", "WARNING", "--auth", "none", frontend=FRONTEND_BUILD) as stack,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_init_script(COLLECT)
        page.goto(stack.url + "/")
        page.wait_for_selector("[data-testid=ws-status][data-status=connected]")
        session = requests.Session()
        for _ in range(args.frames):
            session.post(
                f"{stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
            ).raise_for_status()
            time.sleep(0.3)
        time.sleep(1)
        samples = page.evaluate("window.__frameToScreen")
        browser.close()

    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    median = statistics.median(samples)
    print(f"metrics-update frame → number on screen, {len(samples)} frames in headless Chromium:")
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms (goal ≤ 50 ms)")


if __name__ == "__main__":
    main()
