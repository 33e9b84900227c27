"""The real page in headless Chromium against the local stack: sign-in, upload, fields, live widget,
reconnect."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.helpers.auth import bearer, signed_in
from tests.helpers.samples import FIXTURES_DIR, fixture_bytes, large_pdf
from tests.helpers.stack_process import StackProcess

from .conftest import FRONTEND_BUILD

pytestmark = pytest.mark.e2e


def widget_total(page: Page) -> int:
    text = page.get_by_test_id("metrics-total").inner_text()
    return int(text) if text.strip().isdigit() else -1


def sign_in(page: Page, stack: StackProcess, role: str, next_path: str = "/") -> None:
    """Signs in through the real sign-in page as the stack's seeded user of `role`."""
    user = stack.users[role]
    page.goto(f"{stack.url}/signin/?next={quote(next_path)}")
    page.get_by_label("E-mail", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    # The id token's `name`; moto puts only the client's ReadAttributes into it (the template sets
    # none, where AWS then includes every readable attribute), so locally the header may show the
    # e-mail address instead, as the page does for a user without a name.
    expect(page.get_by_test_id("user-name")).to_have_text(
        re.compile(f"^({re.escape(user.name)}|{re.escape(user.email)})$"), timeout=15_000
    )
    expect(page.get_by_test_id("user-role")).to_have_text(role)


def open_home(context, stack: StackProcess, role: str = "reviewer") -> Page:
    """A new tab, signed in (each tab signs in: the refresh token lives in its sessionStorage)."""
    page = context.new_page()
    sign_in(page, stack, role)
    expect(page.get_by_test_id("ws-status").first).to_have_attribute(
        "data-status", "connected", timeout=15_000
    )
    expect(page.get_by_test_id("metrics-widget")).to_be_visible()
    return page


def upload_as_reviewer(stack: StackProcess, name: str) -> dict:
    response = requests.post(
        f"{stack.url}/api/invoices",
        files={"file": (name, fixture_bytes("sample-invoice.pdf"))},
        headers=bearer(signed_in(stack, "reviewer")),
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def test_a_reviewer_uploads_and_the_widget_counts_it_live(context, app_stack, artifacts) -> None:
    # GIVEN a reviewer signed in through the page (and a second tab of theirs)
    page = open_home(context, app_stack, "reviewer")
    other_tab = open_home(context, app_stack)
    page.bring_to_front()
    before = widget_total(page)

    # WHEN a real invoice is uploaded through the page
    page.get_by_test_id("upload-input").set_input_files(str(FIXTURES_DIR / "sample-invoice.pdf"))

    # THEN its fields appear in the result card
    card = page.get_by_test_id("result-card")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.get_by_test_id("field-invoiceNumber")).to_have_text("INV-3337")
    expect(card.get_by_test_id("field-total")).to_contain_text("93.50")
    expect(card.get_by_test_id("result-engine")).not_to_be_empty()
    # … and the widget counts it, without a reload, in this tab and in the other one
    expected = str(max(before, 0) + 1)
    expect(page.get_by_test_id("metrics-total")).to_have_text(expected, timeout=15_000)
    expect(other_tab.get_by_test_id("metrics-total")).to_have_text(expected, timeout=15_000)

    page.screenshot(path=str(artifacts / "upload-page.png"), full_page=True)
    page.get_by_test_id("metrics-widget").screenshot(path=str(artifacts / "widget.png"))


def test_a_scan_over_the_payload_limit_uploads_through_s3(context, app_stack) -> None:
    page = open_home(context, app_stack)
    data = large_pdf(6_000_000)
    s3_posts: list[str] = []
    page.on(
        "requestfinished",
        lambda r: (
            s3_posts.append(r.url)
            # (Cognito lives on the same endpoint: its calls carry X-Amz-Target)
            if r.method == "POST"
            and r.url.startswith(app_stack.aws_endpoint)
            and "x-amz-target" not in r.headers
            else None
        ),
    )

    # WHEN a 6 MB invoice (over the 4.5 MB request limit) is chosen on the page
    page.get_by_test_id("upload-input").set_input_files(
        files=[{"name": "big-scan.pdf", "mimeType": "application/pdf", "buffer": data}]
    )

    # THEN it is sent to the embedded S3 (a real cross-origin POST: preflight and all), processed,
    # and its fields appear like those of any upload
    card = page.get_by_test_id("upload-item").filter(has_text="big-scan.pdf").get_by_test_id("result-card")
    expect(card).to_be_visible(timeout=60_000)
    expect(card.get_by_test_id("field-invoiceNumber")).to_have_text("INV-3337")
    expect(card.get_by_test_id("field-total")).to_contain_text("93.50")
    assert len(s3_posts) == 1, s3_posts
    assert app_stack.s3().list_objects_v2(Bucket="invoice-uploads", Prefix="incoming/")["KeyCount"] == 0


def test_a_file_over_the_s3_limit_is_refused_on_the_page(context, app_stack) -> None:
    page = open_home(context, app_stack)

    page.get_by_test_id("upload-input").set_input_files(
        files=[
            {"name": "huge.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n" + b"0" * 20_000_001}
        ]
    )

    row = page.get_by_test_id("upload-item").filter(has_text="huge.pdf")
    expect(row).to_have_attribute("data-status", "refused")
    expect(row.get_by_test_id("upload-error")).to_contain_text("the limit is 20.0 MB")


def test_rejected_file_shows_the_servers_message(context, app_stack) -> None:
    page = open_home(context, app_stack)

    page.get_by_test_id("upload-input").set_input_files(
        files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"just some text"}]
    )

    error = page.get_by_test_id("upload-error")
    expect(error).to_be_visible(timeout=15_000)
    expect(error).to_contain_text(re.compile("unsupported file type", re.IGNORECASE))


def test_invoice_list_and_detail(context, app_stack) -> None:
    uploaded = upload_as_reviewer(app_stack, "detail-test.pdf")
    page = context.new_page()
    # A page without a session goes to sign-in, and back to where it was after it.
    page.goto(app_stack.url + "/invoices/")
    expect(page).to_have_url(re.compile(r"/signin/\?next=%2Finvoices%2F"), timeout=15_000)
    sign_in(page, app_stack, "viewer", "/invoices/")
    expect(page).to_have_url(re.compile(r"/invoices/$"))

    link = page.get_by_test_id("invoice-row").locator(f'a[href*="{uploaded["invoiceId"]}"]')
    expect(link).to_be_visible(timeout=15_000)
    expect(link).to_contain_text("INV-3337")  # the row names the invoice by its extracted number
    link.click()

    expect(page).to_have_url(re.compile(r"/invoice/\?id=" + re.escape(uploaded["invoiceId"])))
    detail = page.get_by_test_id("invoice-detail")
    expect(detail).to_be_visible(timeout=15_000)
    expect(detail.get_by_test_id("field-invoiceNumber")).to_have_text("INV-3337")
    expect(detail.get_by_test_id("detected-text")).to_contain_text("Sliced Invoices")


def test_widget_reconnects_after_the_gateway_restarts(context, browser, monkeypatch) -> None:
    # A stack of its own: this test stops it and starts it again on the same port. moto derives
    # the pool's and the client's ids from their names (instead of random ones), so the restarted
    # stack has the same pool and the page's token (signed with moto's fixed key) still verifies.
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY", "HASH")
    stack = StackProcess(frontend=FRONTEND_BUILD).start()
    try:
        page = open_home(context, stack)

        stack.stop()
        expect(page.get_by_test_id("ws-status").first).to_have_attribute(
            "data-status", "disconnected", timeout=15_000
        )

        stack.start()
        expect(page.get_by_test_id("ws-status").first).to_have_attribute(
            "data-status", "connected", timeout=60_000
        )
        # and it is live again: a new upload reaches it
        pdf = fixture_bytes("sample-invoice.pdf")
        token = signed_in(stack, "reviewer")  # the restarted stack's users
        requests.post(
            f"{stack.url}/api/invoices", files={"file": ("s.pdf", pdf)}, headers=bearer(token), timeout=60
        )
        expect(page.get_by_test_id("metrics-total")).to_have_text("1", timeout=15_000)
    finally:
        stack.stop()


def test_on_a_phone_the_widget_is_a_pill_that_covers_no_control(browser, app_stack, artifacts) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, app_stack, "reviewer")
        widget = page.get_by_test_id("metrics-widget")
        expect(widget).to_have_attribute("data-minimised", "true", timeout=15_000)

        pill = widget.bounding_box()
        for control in (
            page.get_by_role("button", name=re.compile("choose files", re.I)),
            page.get_by_role("link", name="Invoices"),
        ):
            box = control.bounding_box()
            overlaps = not (
                box["x"] + box["width"] <= pill["x"]
                or pill["x"] + pill["width"] <= box["x"]
                or box["y"] + box["height"] <= pill["y"]
                or pill["y"] + pill["height"] <= box["y"]
            )
            assert not overlaps, f"the widget covers {control}"
        page.screenshot(path=str(artifacts / "phone.png"), full_page=True)

        # Expanded on demand, and the choice is remembered across a reload.
        page.get_by_test_id("widget-toggle").first.click()
        expect(widget).to_have_attribute("data-minimised", "false")
        page.reload()  # still signed in: the refresh token is in this tab's sessionStorage
        expect(page.get_by_test_id("metrics-widget")).to_have_attribute(
            "data-minimised", "false", timeout=15_000
        )
    finally:
        context.close()


def test_a_viewer_sees_no_upload_control_and_the_api_refuses_their_upload(
    context, app_stack, artifacts
) -> None:
    page = context.new_page()
    tokens: list[str] = []
    page.on(
        "request",
        lambda r: (
            tokens.append(r.headers["authorization"])
            if r.url.startswith(app_stack.url + "/api/") and "authorization" in r.headers
            else None
        ),
    )

    # GIVEN a viewer signed in through the page
    sign_in(page, app_stack, "viewer")

    # THEN the home page has no upload control and no Upload link, but says why
    expect(page.get_by_test_id("upload-not-allowed")).to_contain_text("reviewer role")
    expect(page.get_by_test_id("upload-input")).to_have_count(0)
    expect(page.get_by_test_id("dropzone")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Upload")).to_have_count(0)
    expect(page.get_by_test_id("ws-status").first).to_have_attribute(
        "data-status", "connected", timeout=15_000
    )
    page.screenshot(path=str(artifacts / "viewer-home.png"), full_page=True)

    # … reading works: the invoices page lists with the viewer's token
    nav.get_by_role("link", name="Invoices").click()
    expect(page.get_by_test_id("invoice-list").or_(page.get_by_test_id("invoice-list-empty"))).to_be_visible(
        timeout=15_000
    )
    assert tokens and tokens[-1].startswith("Bearer "), tokens

    # WHEN the viewer's own token (the one the page sent) posts an invoice directly
    answer = requests.post(
        f"{app_stack.url}/api/invoices",
        files={"file": ("v.pdf", fixture_bytes("sample-invoice.pdf"))},
        headers={"Authorization": tokens[-1]},
        timeout=60,
    )

    # THEN the server refuses it
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]


def test_a_wrong_password_shows_the_error(context, app_stack, artifacts) -> None:
    page = context.new_page()
    page.goto(app_stack.url + "/signin/")
    page.get_by_label("E-mail", exact=True).fill(app_stack.users["reviewer"].email)
    page.get_by_label("Password", exact=True).fill("not-the-password-1A")
    page.get_by_role("button", name="Sign in").click()

    # (Next.js has a role=alert route announcer of its own: pick ours by its test id.)
    error = page.get_by_test_id("signin-error")
    expect(error).to_have_text("Incorrect e-mail or password.", timeout=15_000)
    expect(error).to_have_attribute("role", "alert")
    expect(page).to_have_url(re.compile(r"/signin/"))
    expect(page.get_by_test_id("metrics-widget")).to_have_count(0)  # no session, no socket
    page.screenshot(path=str(artifacts / "signin-error.png"), full_page=True)


def test_sign_out_ends_the_session(context, app_stack) -> None:
    page = open_home(context, app_stack, "admin")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/signin/"), timeout=15_000)
    page.reload()  # nothing left to resume from
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("account")).to_have_count(0)


def test_a_reviewer_corrects_and_approves_and_a_viewer_sees_the_result(browser, app_stack, artifacts) -> None:
    reviewer_ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    viewer_ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        # GIVEN a reviewer who uploads an invoice through the page and opens it
        page = open_home(reviewer_ctx, app_stack, "reviewer")
        page.get_by_test_id("upload-input").set_input_files(str(FIXTURES_DIR / "sample-invoice.pdf"))
        card = page.get_by_test_id("result-card")
        expect(card).to_be_visible(timeout=30_000)
        card.get_by_role("link", name=re.compile("View invoice details")).click()
        detail = page.get_by_test_id("invoice-detail")
        expect(detail).to_be_visible(timeout=15_000)
        invoice_id = detail.get_attribute("data-invoice-id")
        expect(detail.get_by_test_id("status-badge")).to_have_text("Needs review")
        expect(detail.get_by_test_id("field-total")).to_contain_text("93.50")
        expect(detail.get_by_test_id("timeline-empty")).to_be_visible(timeout=15_000)

        # WHEN they correct the total and approve
        detail.get_by_test_id("edit-total").click()
        detail.get_by_test_id("input-total").fill("123.45")
        detail.get_by_test_id("save").click()
        expect(detail.get_by_test_id("field-total")).to_contain_text("123.45", timeout=15_000)
        expect(detail.get_by_test_id("corrected-total")).to_have_attribute("title", re.compile("93.50"))
        detail.get_by_test_id("approve").click()

        # THEN it is approved, by them, read-only, and the timeline names them and the change
        expect(detail.get_by_test_id("status-badge")).to_have_text("Approved", timeout=15_000)
        reviewer = app_stack.users["reviewer"]
        expect(detail.get_by_test_id("reviewed-by")).to_contain_text(reviewer.email)
        # Every field but the corrected total was kept: (n - 1) of the approved invoice's n fields.
        stored = requests.get(
            f"{app_stack.url}/api/invoices/{invoice_id}",
            headers=bearer(signed_in(app_stack, "reviewer")),
            timeout=30,
        ).json()
        n = len(stored["fields"])
        expect(detail.get_by_test_id("measured-accuracy")).to_contain_text(f"{100 * (n - 1) / n:.1f}%")
        expect(detail.get_by_test_id("approved-hint")).to_be_visible()
        expect(detail.get_by_test_id("edit-total")).to_have_count(0)
        entries = detail.get_by_test_id("timeline-entry")
        expect(entries).to_have_count(2, timeout=15_000)
        who = f"({re.escape(reviewer.name)}|{re.escape(reviewer.email)})"
        expect(entries.nth(0)).to_have_text(re.compile(f"^{who} approved the invoice · "))
        expect(entries.nth(1)).to_have_text(re.compile(f"^{who} changed Total from 93\\.50 to 123\\.45 · "))
        # … and the widget counts the approval with its measured accuracy
        expect(page.get_by_test_id("metrics-reviewed")).not_to_have_text(
            re.compile("^(—|0)$"), timeout=15_000
        )
        expect(page.get_by_test_id("metrics-measured-accuracy")).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
        expect(page.get_by_test_id("metrics-needs-review")).to_have_text(re.compile(r"^\d+$"))
        page.screenshot(path=str(artifacts / "review-reviewer.png"), full_page=True)
        page.get_by_test_id("metrics-widget").screenshot(path=str(artifacts / "review-widget.png"))

        # WHEN a viewer, in a browser of their own, opens the same invoice
        viewer = viewer_ctx.new_page()
        sign_in(viewer, app_stack, "viewer", f"/invoice/?id={invoice_id}")
        viewer.reload()
        expect(viewer.get_by_test_id("user-role")).to_have_text("viewer", timeout=15_000)
        vdetail = viewer.get_by_test_id("invoice-detail")
        expect(vdetail).to_be_visible(timeout=15_000)

        # THEN they see the new total, the approval, the history, and no edit control
        expect(vdetail.get_by_test_id("field-total")).to_contain_text("123.45")
        expect(vdetail.get_by_test_id("status-badge")).to_have_text("Approved")
        expect(vdetail.get_by_test_id("timeline-entry")).to_have_count(2, timeout=15_000)
        for test_id in ("edit-total", "save", "approve", "reject", "reopen", "review-actions"):
            expect(vdetail.get_by_test_id(test_id)).to_have_count(0)
        viewer.screenshot(path=str(artifacts / "review-viewer.png"), full_page=True)
    finally:
        reviewer_ctx.close()
        viewer_ctx.close()
