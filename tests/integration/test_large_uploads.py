"""Large uploads through the local stack, over real sockets: presign via the gateway, a multipart
POST to the embedded S3 (with the bucket's CORS rule answering the preflight), then /process.

A stack of its own (module-scoped `stack`): its uploads and their broadcasts stay out of the way of
test_local_stack.py's WebSocket assertions.
"""

from __future__ import annotations

import pytest
import requests

from tests.helpers.auth import bearer, signed_in
from tests.helpers.samples import large_pdf

pytestmark = pytest.mark.integration


def test_a_file_over_the_payload_limit_goes_through_s3(stack) -> None:
    """The browser's path for a 5 MB scan: presign via the gateway, POST to the embedded S3, process."""
    data = large_pdf(5_000_000)
    origin = stack.url  # the page's own origin, as a browser would send it
    reviewer = bearer(signed_in(stack, "reviewer"))

    # GIVEN an upload ticket from the API (through the gateway, like every API call)
    ticket = requests.post(
        f"{stack.url}/api/uploads",
        json={"fileName": "big-scan.pdf", "size": len(data)},
        headers=reviewer,
        timeout=30,
    )
    assert ticket.status_code == 200, ticket.text
    url, fields = ticket.json()["url"], ticket.json()["fields"]
    # … whose URL is the embedded S3 on loopback, which a browser on this machine reaches
    assert url.startswith(stack.aws_endpoint + "/")

    # WHEN the browser asks whether it may POST there (XHR upload progress forces a preflight)
    preflight = requests.options(
        url, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}, timeout=10
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    stranger = requests.options(
        url, headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, timeout=10
    )
    assert stranger.status_code == 403  # the bucket's CORS rule, from the template

    # … and posts the form, file last, over a real socket
    posted = requests.post(
        url,
        data=fields,
        files={"file": ("big-scan.pdf", data, "application/pdf")},
        headers={"Origin": origin},
        timeout=60,
    )
    assert posted.status_code == 204, posted.text
    assert posted.headers["Access-Control-Allow-Origin"] == origin

    # THEN processing it answers like /receive, with the invoice's fields
    upload_id = ticket.json()["uploadId"]
    response = requests.post(f"{stack.url}/api/uploads/{upload_id}/process", headers=reviewer, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fields"]["invoiceNumber"]["value"] == "INV-3337"
    assert body["fields"]["total"]["value"] == 93.5
    assert body["sizeBytes"] == len(data)
    assert body["fileName"] == "big-scan.pdf"
    stored = requests.get(
        f"{stack.url}/api/invoices/{body['invoiceId']}",
        headers=bearer(signed_in(stack, "viewer")),
        timeout=10,
    ).json()
    assert stored["fields"] == body["fields"]

    # … and the incoming file is gone, the original kept under the invoice's key
    s3 = stack.s3()
    assert s3.list_objects_v2(Bucket="invoice-uploads", Prefix="incoming/")["KeyCount"] == 0
    assert s3.head_object(Bucket="invoice-uploads", Key=stored["s3Key"])["ContentLength"] == len(data)
    again = requests.post(f"{stack.url}/api/uploads/{upload_id}/process", headers=reviewer, timeout=30)
    assert again.status_code == 404


def test_large_upload_errors_keep_their_status_and_json(stack) -> None:
    reviewer = bearer(signed_in(stack, "reviewer"))
    too_big = requests.post(
        f"{stack.url}/api/uploads", json={"fileName": "huge.pdf", "size": 10**9}, headers=reviewer, timeout=30
    )
    bad_id = requests.post(f"{stack.url}/api/uploads/not-an-id/process", headers=reviewer, timeout=30)
    unknown = requests.post(f"{stack.url}/api/uploads/{'0' * 32}/process", headers=reviewer, timeout=30)

    assert too_big.status_code == 413
    assert "limit" in too_big.json()["error"]
    assert bad_id.status_code == 400
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/json")
