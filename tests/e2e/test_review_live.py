"""Two people on one invoice in Chromium: each sees the other's avatar; one corrects the total and
approves; the other sees the new total, the status, the timeline entry and the widget's count move
without reloading. The invoice list updates live too. One shared stack for the module."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.helpers.auth import bearer, signed_in
from tests.helpers.samples import fixture_bytes
from tests.helpers.stack_process import StackProcess

pytestmark = pytest.mark.e2e

WAIT = 30_000  # ms: the stream poller, the Lambda workers and the gateway are all in the loop


def sign_in(page: Page, stack: StackProcess, role: str, next_path: str) -> None:
    """Signs in through the real sign-in page as the stack's seeded user of `role`."""
    user = stack.users[role]
    page.goto(f"{stack.url}/signin/?next={quote(next_path)}")
    page.get_by_label("E-mail", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("user-role")).to_have_text(role, timeout=WAIT)
    expect(page.get_by_test_id("ws-status").first).to_have_attribute("data-status", "connected", timeout=WAIT)


def known_as(stack: StackProcess, role: str) -> str:
    """A person's name as the page may show it: the token's name, or the e-mail address without one."""
    user = stack.users[role]
    return f"({re.escape(user.name)}|{re.escape(user.email)})"


def upload(stack: StackProcess) -> dict:
    response = requests.post(
        f"{stack.url}/api/invoices",
        files={"file": ("sample-invoice.pdf", fixture_bytes("sample-invoice.pdf"))},
        headers=bearer(signed_in(stack, "reviewer")),
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def count(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


def test_two_people_review_one_invoice_live(browser, app_stack, artifacts) -> None:
    invoice = upload(app_stack)
    path = f"/invoice/?id={invoice['invoiceId']}"
    rita_ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    adam_ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    rita, adam = rita_ctx.new_page(), adam_ctx.new_page()
    try:
        # GIVEN a reviewer and an admin, each in a browser of their own, on the same invoice
        sign_in(rita, app_stack, "reviewer", path)
        sign_in(adam, app_stack, "admin", path)

        # THEN each sees the other's avatar (and not their own)
        for page, other, me in ((rita, "admin", "reviewer"), (adam, "reviewer", "admin")):
            avatars = page.get_by_test_id("presence").get_by_test_id("avatar")
            expect(avatars).to_have_count(1, timeout=WAIT)
            expect(avatars.first).to_have_attribute("title", re.compile(f"^{known_as(app_stack, other)}"))
            expect(page.get_by_test_id("presence-label")).to_have_text(
                re.compile(f"^{known_as(app_stack, other)} is also looking at this invoice$")
            )
            assert app_stack.users[me].email not in (avatars.first.get_attribute("title") or "")

        # … and the document beside its fields: the rendered page, the total's box over it
        page_image = rita.get_by_role("img", name="Page 1 of the invoice")
        expect(page_image).to_be_visible(timeout=WAIT)
        rita.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=page_image.element_handle(), timeout=WAIT
        )
        box = rita.get_by_test_id("box-total")
        expect(box).to_be_attached()
        rita.get_by_test_id("locate-total").click()
        expect(box).to_have_attribute("data-selected", "true")
        expect(rita.get_by_test_id("field-row-total")).to_have_attribute("data-selected", "true")
        rita.get_by_test_id("zoom-in").click()
        expect(rita.get_by_test_id("zoom-level")).to_have_text("125 %")
        rita.get_by_test_id("zoom-reset").click()
        rita.get_by_test_id("document-view").screenshot(path=str(artifacts / "review-live-document.png"))

        expect(adam.get_by_test_id("field-total")).to_contain_text("93.50")
        expect(adam.get_by_test_id("status-badge")).to_have_text("Needs review")
        expect(adam.get_by_test_id("timeline-empty")).to_be_visible(timeout=WAIT)
        expect(adam.get_by_test_id("metrics-reviewed")).to_be_visible(timeout=WAIT)
        reviewed_before = count(adam.get_by_test_id("metrics-reviewed").inner_text())

        # WHEN the reviewer corrects the total and approves (one click: save and approve)
        rita.get_by_test_id("edit-total").click()
        # … the admin sees which field she is editing
        expect(adam.get_by_test_id("editing-total")).to_be_visible(timeout=WAIT)
        rita.get_by_test_id("input-total").fill("123.45")
        rita.get_by_test_id("approve").click()
        expect(rita.get_by_test_id("status-badge")).to_have_text("Approved", timeout=WAIT)

        # THEN the admin, without reloading, sees the new total and the status …
        expect(adam.get_by_test_id("field-total")).to_contain_text("123.45", timeout=WAIT)
        expect(adam.get_by_test_id("status-badge")).to_have_text("Approved", timeout=WAIT)
        expect(adam.get_by_test_id("reviewed-by")).to_contain_text(app_stack.users["reviewer"].email)
        expect(adam.get_by_test_id("editing-total")).to_have_count(0, timeout=WAIT)
        # … the timeline names her and the change …
        entries = adam.get_by_test_id("timeline-entry")
        expect(entries).to_have_count(2, timeout=WAIT)
        who = known_as(app_stack, "reviewer")
        expect(entries.nth(0)).to_have_text(re.compile(f"^{who} approved the invoice · "))
        expect(entries.nth(1)).to_have_text(re.compile(f"^{who} changed Total from 93\\.50 to 123\\.45 · "))
        # … and the widget's reviewed count rises
        expect(adam.get_by_test_id("metrics-reviewed")).to_have_text(str(reviewed_before + 1), timeout=WAIT)
        assert adam.url.endswith(path)  # never reloaded or navigated

        adam.screenshot(path=str(artifacts / "review-live-admin.png"), full_page=True)
        rita.screenshot(path=str(artifacts / "review-live-reviewer.png"), full_page=True)

        # WHEN the reviewer leaves, THEN she leaves the admin's presence
        rita.close()
        expect(adam.get_by_test_id("presence").get_by_test_id("avatar")).to_have_count(0, timeout=WAIT)
        expect(adam.get_by_test_id("presence-label")).to_have_text("Nobody else is looking at this invoice.")
    except Exception:
        for name, page in (("reviewer", rita), ("admin", adam)):
            if not page.is_closed():
                page.screenshot(path=str(artifacts / f"review-live-failed-{name}.png"), full_page=True)
        raise
    finally:
        rita_ctx.close()
        adam_ctx.close()


def test_the_invoice_list_shows_new_uploads_and_status_changes_live(context, app_stack, artifacts) -> None:
    page = context.new_page()
    sign_in(page, app_stack, "viewer", "/invoices/")
    expect(page.get_by_test_id("invoice-list").or_(page.get_by_test_id("invoice-list-empty"))).to_be_visible(
        timeout=WAIT
    )

    # WHEN someone uploads an invoice, THEN it appears on top without a reload
    invoice = upload(app_stack)
    row = page.locator(f'[data-testid="invoice-row"][data-invoice-id="{invoice["invoiceId"]}"]')
    expect(row).to_be_visible(timeout=WAIT)
    first = page.get_by_test_id("invoice-row").first
    expect(first).to_have_attribute("data-invoice-id", invoice["invoiceId"])
    expect(row.get_by_test_id("status-badge")).to_have_text("Needs review")

    # WHEN a reviewer approves it through the API, THEN its row shows the status
    response = requests.patch(
        f"{app_stack.url}/api/invoices/{invoice['invoiceId']}",
        json={"status": "approved"},
        headers={**bearer(signed_in(app_stack, "reviewer")), "If-Match": "1"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    expect(row.get_by_test_id("status-badge")).to_have_text("Approved", timeout=WAIT)
    page.screenshot(path=str(artifacts / "review-live-list.png"), full_page=True)
