"""S3 downloads are attachments of a pinned type: the presigned GET itself says so.

GIVEN an export too large to answer inline WHEN its presigned URL is fetched THEN the answer is
`Content-Disposition: attachment` with the export's own type, whatever the object's metadata says
(the response-* overrides are query parameters of the signed URL, so S3 refuses a changed one).
S3 cannot add `X-Content-Type-Options` to a GET: not asserted, documented.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from invoice_app.exports import routes as export_routes
from invoice_app.invoices.model import Invoice


def test_a_presigned_export_download_is_an_attachment_of_its_own_type(
    client_as, services, monkeypatch
) -> None:
    monkeypatch.setattr(export_routes, "INLINE_LIMIT", 10)
    services.invoices.put_new(Invoice(invoice_id="inv_dl", created_at=1_700_000_000_000, file_name="x.html"))

    body = client_as("viewer").get("/api/export?format=csv").get_json()

    query = parse_qs(urlsplit(body["url"]).query)
    assert query["response-content-disposition"][0].startswith("attachment; filename=")
    assert query["response-content-type"][0].startswith("text/csv")
    downloaded = requests.get(body["url"], timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Disposition"].startswith("attachment; filename=")
    assert downloaded.headers["Content-Type"].startswith("text/csv")
