"""Page images cached in the uploads bucket next to the original, handed out as presigned GETs.

`invoices/<id>/pages/<n>.webp` are the images, `invoices/<id>/pages/manifest.json` lists them with
their sizes and is written last: a manifest means every page it names is stored, so an interrupted
render is simply done again. Two viewers opening a new invoice at once may both render it; the
results are the same bytes, so whichever write lands last is as good as the first.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, store_errors
from ..core.errors import NotFound, StorageUnavailable, UnprocessableDocument
from .render import MEDIA_TYPE, PageImage, render_pages

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
# The original as stored is at most MAX_S3_UPLOAD_BYTES (20 MB); this refuses anything odd above.
MAX_ORIGINAL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class PageLink:
    page: int
    url: str
    width: int
    height: int

    def to_api(self) -> dict[str, Any]:
        return {"page": self.page, "url": self.url, "width": self.width, "height": self.height}


def pages_prefix(invoice_id: str) -> str:
    return f"invoices/{invoice_id}/pages/"


class PageCache:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def links(self, invoice_id: str, original_key: str, expires_in: int) -> list[PageLink]:
        """Presigned GETs of every page, rendering and storing them first if they are not cached."""
        manifest = self._manifest(invoice_id)
        if manifest is None:
            manifest = self._render(invoice_id, original_key)
        with store_errors("page images are unavailable right now; try again", f"presigning {invoice_id}"):
            return [
                PageLink(
                    page=p["page"],
                    url=self._client.generate_presigned_url(
                        "get_object", Params={"Bucket": self.bucket, "Key": p["key"]}, ExpiresIn=expires_in
                    ),
                    width=p["width"],
                    height=p["height"],
                )
                for p in manifest["pages"]
            ]

    def _manifest(self, invoice_id: str) -> dict[str, Any] | None:
        key = pages_prefix(invoice_id) + "manifest.json"
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                manifest = json.loads(body.read())
            finally:
                body.close()
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) in ("NoSuchKey", "404"):
                return None
            log.error("reading s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("page images are unavailable right now; try again") from exc
        except ValueError:
            log.warning("s3://%s/%s is not a manifest; rendering again", self.bucket, key)
            return None
        if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
            return None  # written by an older renderer: render again
        return manifest

    def _render(self, invoice_id: str, original_key: str) -> dict[str, Any]:
        pages = render_pages(self._original(original_key))
        prefix = pages_prefix(invoice_id)
        entries = []
        with store_errors("page images could not be stored; try again", f"storing pages of {invoice_id}"):
            for page in pages:
                key = f"{prefix}{page.page}.webp"
                self._put(key, page)
                entries.append({"page": page.page, "key": key, "width": page.width, "height": page.height})
            manifest = {"version": MANIFEST_VERSION, "pages": entries}
            self._client.put_object(
                Bucket=self.bucket,
                Key=prefix + "manifest.json",
                Body=json.dumps(manifest).encode(),
                ContentType="application/json",
            )
        log.info("rendered %d page image(s) of %s", len(entries), invoice_id)
        return manifest

    def _put(self, key: str, page: PageImage) -> None:
        self._client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=page.data,
            ContentType=MEDIA_TYPE,
            # The images never change for an invoice: let the browser keep them.
            CacheControl="private, max-age=86400, immutable",
        )

    def _original(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) in ("NoSuchKey", "404"):
                raise NotFound("the original file of this invoice is no longer stored") from exc
            log.error("reading s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("the original file could not be read; try again") from exc
        body = response["Body"]
        try:
            if int(response.get("ContentLength") or 0) > MAX_ORIGINAL_BYTES:
                raise UnprocessableDocument("the original file of this invoice is too large to show")
            return body.read()
        except (ClientError, BotoCoreError) as exc:
            log.error("reading s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("the original file could not be read; try again") from exc
        finally:
            body.close()
