"""The Analytics page in headless Chromium, two people on one `normal` visualization: one drags the
curve's mean, the other its width, and each time the other's curve and parameter panel follow;
both see each other's avatar and cursor; the chart exports as a PNG (saved to test-artifacts/) and
its bins as CSV; a restore from the history reaches both — each page on one WebSocket, the
widget's. Then the other types, zoom, tooltips, a viewer's read-only page, a private
visualization's message, and a viewer dropped when its owner unshares it."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from invoice_app.realtime.presence import initials
from tests.helpers.auth import bearer, signed_in
from tests.helpers.stack_process import StackProcess
from tests.helpers.uploads import upload_to_stack

pytestmark = pytest.mark.e2e

LIVE = 15_000  # ms: what a live update may take on a loaded machine


def sign_in(page: Page, stack: StackProcess, role: str, next_path: str) -> None:
    """Through the real sign-in page, as the stack's seeded user of `role`, then on to next_path."""
    user = stack.users[role]
    page.goto(f"{stack.url}/signin/?next={quote(next_path)}")
    page.get_by_label("E-mail", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("user-role")).to_have_text(role, timeout=LIVE)


@pytest.fixture(scope="module")
def invoices(app_stack: StackProcess) -> list[dict]:
    """A few of today's invoices, so the charts have values and the fit a spread."""
    token = signed_in(app_stack, "reviewer")
    return [upload_to_stack(app_stack.url, token=token) for _ in range(3)]


def create(stack: StackProcess, name: str, type_: str, parameters: dict) -> dict:
    """A shared visualization, created by the reviewer through the API."""
    answer = requests.post(
        f"{stack.url}/api/visualizations",
        json={"name": name, "type": type_, "shared": True, "parameters": parameters},
        headers=bearer(signed_in(stack, "reviewer")),
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def data_of(stack: StackProcess, viz_id: str) -> dict:
    answer = requests.get(
        f"{stack.url}/api/visualizations/{viz_id}/data",
        headers=bearer(signed_in(stack, "viewer")),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def websockets_of(page: Page) -> list:
    """Every WebSocket the page opens from now on (Playwright's `websocket` event)."""
    sockets: list = []
    page.on("websocket", lambda ws: sockets.append(ws))
    return sockets


def open_visualization(
    page: Page, stack: StackProcess, role: str, viz_id: str, name: str = "Latency e2e"
) -> None:
    sign_in(page, stack, role, f"/analytics/?id={viz_id}")
    expect(page.get_by_role("img", name=name)).to_be_visible(timeout=LIVE)
    expect(page.get_by_test_id("curve")).to_be_attached(timeout=LIVE)


def hover_chart(page: Page, fx: float, fy: float) -> None:
    """The pointer over the chart's plot at fractions of its box (in a few steps, as a hand would)."""
    box = page.get_by_test_id("chart-interactive").bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=5)


def other_avatar(page: Page, names: set[str]):
    avatar = page.locator('[data-testid="presence-avatar"][data-self="false"]')
    expect(avatar).to_have_count(1, timeout=LIVE)
    assert avatar.get_attribute("data-name") in names
    return avatar


def test_two_people_adjust_one_normal_curve_live_and_export_it(
    browser, app_stack, invoices, artifacts
) -> None:
    viz = create(app_stack, "Latency e2e", "normal", {"measure": "latency", "k": 1, "bins": 10, "days": 1})
    rita_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    adam_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        rita, adam = rita_ctx.new_page(), adam_ctx.new_page()
        sockets = {"rita": websockets_of(rita), "adam": websockets_of(adam)}
        # GIVEN a reviewer and an admin with the same visualization open (Adam by its share link)
        open_visualization(rita, app_stack, "reviewer", viz["id"])
        share = rita.get_by_label("Share link").input_value()
        assert share.endswith(f"/analytics/?id={viz['id']}")
        open_visualization(adam, app_stack, "admin", viz["id"])
        reviewer, admin = app_stack.users["reviewer"], app_stack.users["admin"]

        # THEN each sees the other's avatar
        rita_sees = other_avatar(rita, {admin.name, admin.email})
        adam_sees = other_avatar(adam, {reviewer.name, reviewer.email})

        # WHEN each moves the pointer over the chart THEN the other sees that cursor, with initials
        hover_chart(rita, 0.3, 0.5)
        cursor = adam.get_by_test_id("remote-cursor")
        expect(cursor).to_have_attribute(
            "data-initials", initials(adam_sees.get_attribute("data-name") or ""), timeout=LIVE
        )
        hover_chart(adam, 0.7, 0.4)
        expect(rita.get_by_test_id("remote-cursor")).to_have_attribute(
            "data-initials", initials(rita_sees.get_attribute("data-name") or ""), timeout=LIVE
        )

        # WHEN Rita drags the curve's mean to the right
        mean_before = rita.get_by_test_id("param-mean").input_value()
        handle = rita.get_by_test_id("handle-mean").bounding_box()
        assert handle
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        rita.mouse.move(x, y)
        rita.mouse.down()
        rita.mouse.move(x + 140, y, steps=12)
        rita.mouse.up()
        mean_after = rita.get_by_test_id("param-mean").input_value()
        assert float(mean_after) > float(mean_before), (mean_before, mean_after)
        expect(rita.get_by_test_id("visualization")).to_have_attribute("data-version", "2", timeout=LIVE)

        # THEN Adam's panel and curve follow (the curve once its animation has ended)
        expect(adam.get_by_test_id("param-mean")).to_have_value(mean_after, timeout=LIVE)
        expect(adam.get_by_test_id("curve")).to_have_attribute("data-mean", mean_after, timeout=LIVE)
        expect(adam.get_by_test_id("viz-notice")).to_contain_text("changed the parameters (v2)")
        expect(adam.get_by_test_id("history-item").first).to_contain_text("mean")
        adam.screenshot(path=str(artifacts / "analytics-follower.png"), full_page=True)

        # AND the server has the new mean on record
        stored = requests.get(
            f"{app_stack.url}/api/visualizations/{viz['id']}",
            headers=bearer(signed_in(app_stack, "admin")),
            timeout=30,
        ).json()
        assert stored["version"] == 2 and stored["parameters"]["mean"] == float(mean_after)

        # WHEN Adam widens the curve with the handle on its flank THEN Rita's stdDev follows
        sd_before = adam.get_by_test_id("param-stdDev").input_value()
        flank = adam.get_by_test_id("handle-stddev").bounding_box()
        assert flank
        x, y = flank["x"] + flank["width"] / 2, flank["y"] + flank["height"] / 2
        adam.mouse.move(x, y)
        adam.mouse.down()
        adam.mouse.move(x + 50, y, steps=8)
        adam.mouse.up()
        sd_after = adam.get_by_test_id("param-stdDev").input_value()
        assert float(sd_after) > float(sd_before), (sd_before, sd_after)
        expect(rita.get_by_test_id("param-stdDev")).to_have_value(sd_after, timeout=LIVE)
        expect(rita.get_by_test_id("curve")).to_have_attribute("data-std-dev", sd_after, timeout=LIVE)
        expect(rita.get_by_test_id("visualization")).to_have_attribute("data-version", "3", timeout=LIVE)

        # WHEN Rita exports the chart as PNG THEN it is a real, non-blank image of the chart
        with rita.expect_download() as png_download:
            rita.get_by_role("button", name="PNG", exact=True).click()
        png_path = artifacts / "analytics-chart.png"
        png_download.value.save_as(png_path)
        from PIL import Image

        with Image.open(png_path) as image:
            assert image.format == "PNG"
            assert image.size == (1440, 720)  # the 720×360 chart at 2×
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 20, "a blank image"

        # AND the CSV has the bins the server computed
        with rita.expect_download() as csv_download:
            rita.get_by_role("button", name="CSV", exact=True).click()
        rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text(encoding="utf-8"))))
        data = data_of(app_stack, viz["id"])
        assert rows[0] == ["x0", "x1", "count"]
        assert [[float(a), float(b), int(c)] for a, b, c in rows[1:]] == [
            [b["x0"], b["x1"], b["count"]] for b in data["bins"]
        ]
        assert sum(int(r[2]) for r in rows[1:]) == data["count"] >= 3

        # WHEN Adam restores the first version from the history THEN Rita is back at the fitted curve
        adam.get_by_role("button", name="Restore v1").click()
        expect(rita.get_by_test_id("visualization")).to_have_attribute("data-version", "4", timeout=LIVE)
        expect(rita.get_by_test_id("param-mean")).to_have_value(mean_before, timeout=LIVE)
        expect(rita.get_by_test_id("param-stdDev")).to_have_value(sd_before, timeout=LIVE)
        expect(rita.get_by_test_id("history-item")).to_have_count(3, timeout=LIVE)
        rita.screenshot(path=str(artifacts / "analytics-dragger.png"), full_page=True)

        # AND all of it went over one WebSocket per page: the widget's, which the page shares
        for who, opened in sockets.items():
            assert len(opened) == 1, (who, [ws.url.split("?")[0] for ws in opened])
            assert not opened[0].is_closed(), who
    finally:
        rita_ctx.close()
        adam_ctx.close()


def test_the_other_types_draw_the_server_data_with_zoom_and_tooltips(
    context, app_stack, invoices, artifacts
) -> None:
    histogram = create(app_stack, "Latency bins", "histogram", {"measure": "latency", "bins": 8, "days": 1})
    series = create(app_stack, "Invoices per day", "series", {})  # the server's default: 7 days by day
    scatter = create(app_stack, "Pages and latency", "scatter", {"x": "pages", "y": "latency", "days": 1})
    page = context.new_page()
    sign_in(page, app_stack, "viewer", f"/analytics/?id={histogram['id']}")

    # A histogram: one bar per bin; the wheel zooms the x axis, "Reset zoom" undoes it; a tooltip
    expect(page.get_by_role("img", name="Latency bins")).to_be_visible(timeout=LIVE)
    expect(page.get_by_test_id("bar")).to_have_count(
        len(data_of(app_stack, histogram["id"])["bins"]), timeout=LIVE
    )
    reset = page.get_by_role("button", name="Reset zoom")
    expect(reset).to_be_disabled()
    ticks_before = page.locator('[data-axis="x"] .tick').all_text_contents()
    hover_chart(page, 0.5, 0.5)
    page.mouse.wheel(0, -600)
    expect(reset).to_be_enabled(timeout=LIVE)
    assert page.locator('[data-axis="x"] .tick').all_text_contents() != ticks_before
    reset.click()
    expect(reset).to_be_disabled()
    expect(page.locator('[data-axis="x"] .tick')).to_have_text(ticks_before)
    bar = page.get_by_test_id("bar").first.bounding_box()
    assert bar
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    expect(page.get_by_test_id("chart-tooltip")).to_contain_text(":")
    # A viewer may look, not change
    expect(page.get_by_test_id("param-bins")).to_be_disabled()

    # A normal curve for a viewer: drawn, with no handles to drag
    normal = create(
        app_stack, "Latency for viewers", "normal", {"measure": "latency", "k": 2, "bins": 10, "days": 1}
    )
    page.goto(f"{app_stack.url}/analytics/?id={normal['id']}")
    expect(page.get_by_test_id("curve")).to_be_attached(timeout=LIVE)
    expect(page.get_by_test_id("handle-mean")).to_have_count(0)

    # A series: a line per group over the UTC days
    page.goto(f"{app_stack.url}/analytics/?id={series['id']}")
    expect(page.get_by_role("img", name="Invoices per day")).to_be_visible(timeout=LIVE)
    groups = data_of(app_stack, series["id"])["groups"]
    expect(page.get_by_test_id("series-line")).to_have_count(len(groups), timeout=LIVE)

    # A scatter: a point per invoice having both measures
    page.goto(f"{app_stack.url}/analytics/?id={scatter['id']}")
    expect(page.get_by_role("img", name="Pages and latency")).to_be_visible(timeout=LIVE)
    points = data_of(app_stack, scatter["id"])["points"]
    assert len(points) >= len(invoices)
    expect(page.get_by_test_id("point")).to_have_count(len(points), timeout=LIVE)
    page.screenshot(path=str(artifacts / "analytics-scatter.png"), full_page=True)


def test_a_private_visualization_of_someone_else_shows_a_clear_message(browser, app_stack) -> None:
    answer = requests.post(
        f"{app_stack.url}/api/visualizations",
        json={"name": "Mine only", "type": "histogram", "shared": False},
        headers=bearer(signed_in(app_stack, "reviewer")),
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        sign_in(page, app_stack, "viewer", f"/analytics/?id={answer.json()['id']}")
        expect(page.get_by_test_id("viz-error")).to_have_text(
            re.compile("does not exist, or it is private to someone else"), timeout=LIVE
        )
    finally:
        ctx.close()


def test_a_viewer_is_dropped_when_its_owner_unshares_it(browser, app_stack, invoices) -> None:
    viz = create(app_stack, "Unshared e2e", "normal", {"measure": "latency", "k": 2, "bins": 10, "days": 1})
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        open_visualization(page, app_stack, "viewer", viz["id"], name="Unshared e2e")
        expect(page.locator('[data-testid="presence-avatar"][data-self="true"]')).to_have_count(
            1, timeout=LIVE
        )
        # WHEN its owner makes it private
        answer = requests.put(
            f"{app_stack.url}/api/visualizations/{viz['id']}",
            json={"shared": False, "version": viz["version"]},
            headers=bearer(signed_in(app_stack, "reviewer")),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        # THEN the viewer's page says so and the chart is gone, and so is it from the list
        expect(page.get_by_test_id("viz-error")).to_contain_text("no longer shared", timeout=LIVE)
        expect(page.get_by_role("img", name="Unshared e2e")).to_have_count(0)
        expect(page.get_by_test_id("viz-list").get_by_text("Unshared e2e")).to_have_count(0, timeout=LIVE)
    finally:
        ctx.close()
