"""GET /api/invoices/<id>/pages: page images of the stored original, rendered once, cached in S3."""

from __future__ import annotations

import io
import threading

import boto3
import pytest
import requests
from PIL import Image

from invoice_app.core.errors import UnprocessableDocument
from invoice_app.documents.cache import pages_prefix
from invoice_app.documents.render import LONG_SIDE, render_pages
from invoice_app.invoices.model import Invoice
from invoice_app.processing.engines import pdf_text
from invoice_app.processing.limits import Limits
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file


def upload(client_as, name: str) -> dict:
    response = post_file(client_as("reviewer"), fixture_bytes(name), name)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def fetch_image(url: str) -> Image.Image:
    downloaded = requests.get(url, timeout=10)  # moto's mock answers the presigned GET
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Type"] == "image/webp"
    return Image.open(io.BytesIO(downloaded.content))


def test_a_viewer_gets_each_pdf_page_as_a_readable_image(client_as) -> None:
    invoice = upload(client_as, "zugferd_2p0_BASIC_Einfach.pdf")

    response = client_as("viewer").get(f"/api/invoices/{invoice['invoiceId']}/pages")

    assert response.status_code == 200
    body = response.get_json()
    assert body["expiresIn"] == 300
    assert [p["page"] for p in body["pages"]] == list(range(1, invoice["pages"] + 1))
    first = body["pages"][0]
    assert max(first["width"], first["height"]) == LONG_SIDE
    assert "X-Amz-Signature" in first["url"] and "X-Amz-Expires=300" in first["url"]
    image = fetch_image(first["url"])
    assert image.size == (first["width"], first["height"])
    # A rendered page, not a blank sheet: an invoice has dark text on white paper.
    grey = image.convert("L")
    assert grey.getextrema()[0] < 60 and grey.getpixel((5, 5)) > 200


def test_pages_are_rendered_once_and_then_served_from_the_cache(client_as, services, monkeypatch) -> None:
    invoice = upload(client_as, "sample-invoice.pdf")
    viewer = client_as("viewer")
    first = viewer.get(f"/api/invoices/{invoice['invoiceId']}/pages").get_json()

    from invoice_app.documents import cache

    def no_render(data: bytes) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(cache, "render_pages", no_render)
    again = viewer.get(f"/api/invoices/{invoice['invoiceId']}/pages").get_json()
    assert [(p["page"], p["width"], p["height"]) for p in again["pages"]] == [
        (p["page"], p["width"], p["height"]) for p in first["pages"]
    ]
    s3 = boto3.client("s3")
    keys = {
        o["Key"]
        for o in s3.list_objects_v2(
            Bucket=services.settings.uploads_bucket, Prefix=pages_prefix(invoice["invoiceId"])
        )["Contents"]
    }
    assert keys == {f"invoices/{invoice['invoiceId']}/pages/{n}" for n in ("1.webp", "manifest.json")}


def test_a_photo_is_shown_upright_as_the_ocr_saw_it(client_as) -> None:
    # A landscape photo whose EXIF says "rotate 90° clockwise to view": upright, it is portrait.
    photo = Image.new("RGB", (400, 300), "white")
    photo.paste((0, 0, 0), (0, 0, 40, 40))  # a black mark in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    photo.save(out, format="JPEG", exif=exif)

    pages = render_pages(out.getvalue())

    [page] = pages
    assert (page.width, page.height) == (300, 400)  # small images are not enlarged
    shown = Image.open(io.BytesIO(page.data)).convert("L")
    # Rotated 90° clockwise, the stored top-left corner is now at the top right.
    assert shown.getpixel((290, 10)) < 60 and shown.getpixel((10, 10)) > 200


def test_a_large_image_is_scaled_down_and_a_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(out, format="PNG")
    [page] = render_pages(out.getvalue())
    assert (page.width, page.height) == (LONG_SIDE, 1200)
    with pytest.raises(UnprocessableDocument, match="pixels"):
        render_pages(out.getvalue(), Limits(max_image_pixels=1_000_000))


def test_the_page_count_is_bounded() -> None:
    with pytest.raises(UnprocessableDocument, match="pages"):
        render_pages(fixture_bytes("zugferd_2p0_BASIC_Einfach.pdf"), Limits(max_pages=0))


def test_rendering_holds_the_pdfium_lock(monkeypatch) -> None:
    # Another thread holding the lock (pdfium at work elsewhere) keeps the renderer waiting.
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with pdf_text.PDFIUM_LOCK:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    result: list = []
    pdf = fixture_bytes("sample-invoice.pdf")
    renderer = threading.Thread(target=lambda: result.append(render_pages(pdf)))
    renderer.start()
    renderer.join(0.5)
    try:
        assert renderer.is_alive() and not result
    finally:
        release.set()
        holder.join()
        renderer.join(30)
    assert len(result[0]) == 1


def test_unknown_invoice_is_404_and_roles_are_checked(client_as, anonymous, services) -> None:
    assert client_as("viewer").get("/api/invoices/nope/pages").status_code == 404
    assert client_as("viewer").get("/api/invoices/nope/pages").get_json()["error"]
    response = anonymous.get("/api/invoices/nope/pages")
    assert response.status_code == 401 and response.get_json()["error"]


def test_a_missing_original_is_404_not_500(client_as, services) -> None:
    services.invoices.put_new(
        Invoice(invoice_id="gone", created_at=1, file_name="gone.pdf", s3_key="invoices/gone/original.pdf")
    )
    services.invoices.put_new(Invoice(invoice_id="none", created_at=1, file_name="none.pdf"))
    for invoice_id in ("gone", "none"):
        response = client_as("viewer").get(f"/api/invoices/{invoice_id}/pages")
        assert response.status_code == 404 and response.get_json()["error"]


def test_a_damaged_original_is_422(client_as, services) -> None:
    boto3.client("s3").put_object(
        Bucket=services.settings.uploads_bucket, Key="invoices/bad/original.pdf", Body=b"%PDF-1.7 broken"
    )
    services.invoices.put_new(
        Invoice(invoice_id="bad", created_at=1, file_name="bad.pdf", s3_key="invoices/bad/original.pdf")
    )
    response = client_as("viewer").get("/api/invoices/bad/pages")
    assert response.status_code == 422 and response.get_json()["error"]
