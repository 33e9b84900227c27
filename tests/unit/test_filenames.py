"""File names are cleaned once: no CR/LF/controls, bounded, safe for S3 metadata, headers, CSV and logs.

moto in-process (`mock_aws`) never formats HTTP headers, so a CR or LF in S3 metadata passes
there; botocore refuses to send it to a real S3. The store and whole-path tests therefore run
against moto's server over loopback HTTP (`ThreadedMotoServer`), where headers are really sent.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from urllib.parse import unquote

import boto3
import pytest
import requests

from devstack.template import provision
from invoice_app import create_app, get_services
from invoice_app.core import filenames
from invoice_app.uploads.store import UploadStore
from tests.helpers.moto_server import moto_server
from tests.helpers.names import unique_names
from tests.helpers.samples import fixture_bytes

CONTROL = ["a\nb.pdf", "a\rb.pdf", "a\r\nb.pdf", "a\tb.pdf", "a\x00b.pdf", "a\x7fb.pdf", "a\x85b.pdf"]


# -- clean() and the encoders ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_are_removed(name: str) -> None:
    assert filenames.clean(name) == "ab.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Rechnung März 2024 (Kopie).pdf", "Rechnung März 2024 (Kopie).pdf"),
        ("C:\\fakepath\\scan.pdf", "scan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override
        ("a\u2028b\u2029c\u200b.pdf", "abc.pdf"),
        ("a\ud800b.pdf", "ab.pdf"),  # a lone surrogate (from a JSON "\\ud800")
        ("Ma\u0308rz.pdf", "März.pdf"),  # NFC
        ("  many   spaces  .pdf", "many spaces .pdf"),
        ("", "upload"),
        ("\r\n", "upload"),
        ("..", "upload"),
        (None, "upload"),
        (42, "upload"),
    ],
)
def test_clean(name, expected: str) -> None:
    assert filenames.clean(name) == expected


def test_long_names_are_bounded_and_keep_their_extension() -> None:
    cleaned = filenames.clean("x" * 10_000 + ".pdf")
    assert len(cleaned) == filenames.MAX_CHARS
    assert cleaned.endswith("x.pdf")
    assert len(filenames.clean("y" * 10_000)) == filenames.MAX_CHARS


@pytest.mark.parametrize("name", [*CONTROL, "請求書" * 400, "😀" * 300, "a\u202eb\ud800.pdf", "%0A%0D.pdf"])
def test_encoders_are_header_safe(name: str) -> None:
    meta = filenames.metadata_value(name)
    assert meta.isascii() and meta.isprintable() and len(meta) <= filenames.MAX_METADATA_CHARS
    assert filenames.clean(name).startswith(unquote(meta))
    ascii_name = filenames.ascii_name(name)
    assert ascii_name.isascii() and ascii_name.isprintable() and ascii_name
    disposition = filenames.content_disposition(name)
    assert disposition.isascii() and disposition.isprintable()
    assert "\r" not in disposition and "\n" not in disposition


def test_content_disposition_is_rfc_6266() -> None:
    assert filenames.content_disposition('Rechnung "März".pdf') == (
        "attachment; filename=\"Rechnung _Marz_.pdf\"; filename*=UTF-8''Rechnung%20%22M%C3%A4rz%22.pdf"
    )


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1.pdf", "-2.pdf", "@SUM.pdf"])
def test_csv_cells_cannot_start_a_formula(name: str) -> None:
    assert filenames.csv_cell(name) == "'" + name
    assert filenames.csv_cell("plain.pdf") == "plain.pdf"


# -- against a real HTTP S3 ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def real_s3(moto_endpoint: str) -> tuple[object, str]:
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    bucket = f"uploads-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    return s3, bucket


@pytest.mark.parametrize("name", ["a\nb.pdf", "a\rb.pdf", "a\r\nb.pdf"])
def test_raw_crlf_metadata_is_what_botocore_refuses(real_s3, name: str) -> None:
    # The defect's cause: this is what the store used to send, and a real HTTP S3 never gets it.
    s3, bucket = real_s3
    with pytest.raises(Exception, match=r"(?i)header|invalid"):
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", Metadata={"original-filename": name})


@pytest.mark.parametrize("name", ["a\nb.pdf", "a\rb.pdf", "a\r\nb.pdf"])
def test_store_puts_and_copies_originals_with_crlf_names_over_http(real_s3, name: str) -> None:
    s3, bucket = real_s3
    store = UploadStore(s3, bucket)
    s3.put_object(Bucket=bucket, Key="incoming/x", Body=b"%PDF-1.4")

    put = store.put_original("inv_put", b"%PDF-1.4", "application/pdf", name)
    copied = store.copy_original("incoming/x", "inv_copy", "application/pdf", name)

    for key, invoice_id in ((put, "inv_put"), (copied, "inv_copy")):
        meta = s3.head_object(Bucket=bucket, Key=key)["Metadata"]
        assert meta == {"original-filename": "ab.pdf", "invoice-id": invoice_id}


@pytest.fixture
def http_app(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch):
    """The app with every AWS call going over HTTP to moto's server (no sign-in: AUTH_MODE=none)."""
    names = unique_names()
    provision(
        boto3.client("dynamodb", endpoint_url=moto_endpoint),
        boto3.client("s3", endpoint_url=moto_endpoint),
        names,
    )
    app = create_app(
        {**names, "AWS_ENDPOINT_URL": moto_endpoint, "AUTH_MODE": "none", "OCR_ENGINE": "rapidocr"}
    )
    return app, names, boto3.client("s3", endpoint_url=moto_endpoint)


def multipart_with_rfc2231_name(data: bytes, encoded_name: str) -> tuple[bytes, str]:
    boundary = "----fuzzboundary"
    body = (
        (
            f"--{boundary}\r\n"
            f"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''{encoded_name}\r\n"
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_direct_upload_with_lf_in_filename_star_is_stored(http_app) -> None:
    app, names, s3 = http_app
    body, content_type = multipart_with_rfc2231_name(fixture_bytes("sample-invoice.pdf"), "a%0Ab.pdf")

    response = app.test_client().post("/receive", data=body, content_type=content_type)

    assert response.status_code == 200, response.json
    assert response.json["fileName"] == "ab.pdf"
    key = f"invoices/{response.json['invoiceId']}/original.pdf"
    assert (
        s3.head_object(Bucket=names["UPLOADS_BUCKET"], Key=key)["Metadata"]["original-filename"] == "ab.pdf"
    )


def test_presigned_upload_with_cr_in_file_name_is_stored(http_app) -> None:
    app, names, s3 = http_app
    client = app.test_client()
    data = fixture_bytes("sample-invoice.pdf")

    ticket = client.post("/api/uploads", json={"fileName": "a\rb.pdf", "size": len(data)})
    assert ticket.status_code == 200, ticket.json
    posted = requests.post(
        ticket.json["url"],
        data=ticket.json["fields"],
        files={"file": ("a.pdf", io.BytesIO(data), "application/pdf")},
        timeout=30,
    )
    assert posted.status_code in (200, 204), posted.text
    response = client.post(f"/api/uploads/{ticket.json['uploadId']}/process")

    assert response.status_code == 200, response.json
    assert response.json["fileName"] == "ab.pdf"
    key = f"invoices/{response.json['invoiceId']}/original.pdf"
    assert (
        s3.head_object(Bucket=names["UPLOADS_BUCKET"], Key=key)["Metadata"]["original-filename"] == "ab.pdf"
    )
    assert get_services(app).invoices.get(response.json["invoiceId"]).file_name == "ab.pdf"
