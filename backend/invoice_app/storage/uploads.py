"""The uploads bucket: the original file of every stored invoice."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..errors import StorageUnavailable

log = logging.getLogger(__name__)

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "image/webp": ".webp",
}


def object_key(invoice_id: str, media_type: str) -> str:
    return f"invoices/{invoice_id}/original{_EXTENSIONS.get(media_type, '')}"


class UploadStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put_original(self, invoice_id: str, data: bytes, media_type: str, filename: str) -> str:
        key = object_key(invoice_id, media_type)
        # S3 metadata must be ASCII; keep a readable name for the console.
        safe_name = filename.encode("ascii", "replace").decode("ascii")[:200]
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=media_type,
                Metadata={"original-filename": safe_name, "invoice-id": invoice_id},
            )
        except (ClientError, BotoCoreError) as exc:
            log.error("storing the original of %s in s3://%s failed: %s", invoice_id, self.bucket, exc)
            raise StorageUnavailable(
                "the uploaded file could not be stored; nothing was saved, try again"
            ) from exc
        return key

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=key)

    def ping(self) -> None:
        self._client.head_bucket(Bucket=self.bucket)
