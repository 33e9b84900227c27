"""The uploads bucket: the original file of every stored invoice, and files posted by browsers.

`invoices/<invoiceId>/original.<ext>` holds the originals. `incoming/<uploadId>` holds what a
browser posted straight to S3 (a presigned POST, for files over Lambda's payload limit) until the
function has processed it; a lifecycle rule removes anything left there after a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import BotoCoreError, ClientError

from ..core import filenames
from ..core.dynamo import error_code, store_errors
from ..core.errors import NotFound, PayloadTooLarge, StorageUnavailable
from ..core.failures import FailureCounter

log = logging.getLogger(__name__)

INCOMING_PREFIX = "incoming/"
# The file's name travels as object metadata, percent-encoded: S3 metadata is ASCII and all
# user metadata of an object must fit in 2 KB (`filenames.metadata_value`).
FILENAME_META = "filename"

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "application/xml": ".xml",
}


def object_key(invoice_id: str, media_type: str) -> str:
    return f"invoices/{invoice_id}/original{_EXTENSIONS.get(media_type, '')}"


def incoming_key(upload_id: str) -> str:
    """Where a browser posts the file of one upload (the caller has validated the id)."""
    return f"{INCOMING_PREFIX}{upload_id}"


def encode_filename(filename: str) -> str:
    """A file name as an S3 metadata value: cleaned, percent-encoded UTF-8, shortened to fit."""
    return filenames.metadata_value(filename)


@dataclass(frozen=True)
class IncomingFile:
    key: str
    data: bytes
    filename: str


def _original_metadata(invoice_id: str, filename: str) -> dict[str, str]:
    # S3 metadata goes out as HTTP headers: ASCII, no CR/LF; keep a readable name for the console.
    return {
        "original-filename": filenames.ascii_name(filename),
        "invoice-id": invoice_id,
    }


class UploadStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put_original(self, invoice_id: str, data: bytes, media_type: str, filename: str) -> str:
        key = object_key(invoice_id, media_type)
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=media_type,
                Metadata=_original_metadata(invoice_id, filename),
            )
        except (ClientError, BotoCoreError) as exc:
            log.error("storing the original of %s in s3://%s failed: %s", invoice_id, self.bucket, exc)
            raise StorageUnavailable(
                "the uploaded file could not be stored; nothing was saved, try again"
            ) from exc
        return key

    def copy_original(self, source_key: str, invoice_id: str, media_type: str, filename: str) -> str:
        """Store a file already in the bucket as an invoice's original: a server-side copy."""
        key = object_key(invoice_id, media_type)
        try:
            self._client.copy_object(
                Bucket=self.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": source_key},
                # The sniffed type and our own metadata, not whatever the browser sent.
                MetadataDirective="REPLACE",
                ContentType=media_type,
                Metadata=_original_metadata(invoice_id, filename),
            )
        except (ClientError, BotoCoreError) as exc:
            log.error("copying s3://%s/%s for %s failed: %s", self.bucket, source_key, invoice_id, exc)
            raise StorageUnavailable(
                "the uploaded file could not be stored; nothing was saved, try again"
            ) from exc
        return key

    def presign_incoming(self, key: str, filename: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A presigned POST (`{"url", "fields"}`) that lets a browser put one file at `key`.

        The policy pins the key and the file name and bounds the size; S3 refuses anything else.
        """
        name = encode_filename(filename)
        meta_field = f"x-amz-meta-{FILENAME_META}"
        try:
            return self._client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={meta_field: name},
                Conditions=[{meta_field: name}, ["content-length-range", 1, max_bytes]],
                ExpiresIn=expires_in,
            )
        except (ClientError, BotoCoreError) as exc:  # e.g. no credentials to sign with
            log.error("presigning a POST to s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("uploads are unavailable right now; try again") from exc

    def read_incoming(self, key: str, max_bytes: int) -> IncomingFile:
        """The file a browser posted to `key`: 404 if there is none, 413 if it is over `max_bytes`."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            if error_code(exc) == "NoSuchKey":
                raise NotFound(
                    "no uploaded file for this upload id: it was never uploaded, has expired "
                    "or was already processed"
                ) from exc
            log.error("reading s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("the uploaded file could not be read; try again") from exc
        body = response["Body"]
        size = int(response.get("ContentLength") or 0)
        try:
            # The POST policy bounds the size on AWS; this also holds where nothing enforces it.
            if size > max_bytes:
                raise PayloadTooLarge.for_size(size, max_bytes)
            data = body.read()
        except (ClientError, BotoCoreError) as exc:
            log.error("reading s3://%s/%s failed: %s", self.bucket, key, exc)
            raise StorageUnavailable("the uploaded file could not be read; try again") from exc
        finally:
            body.close()
        # Whatever the metadata holds (a browser can post any form), the name is cleaned again.
        filename = filenames.clean(unquote(response.get("Metadata", {}).get(FILENAME_META, "")))
        return IncomingFile(key=key, data=data, filename=filename)

    def put_export(self, key: str, data: bytes, content_type: str, filename: str, expires_in: int) -> str:
        """Store an export under `exports/` and return a presigned URL that downloads it."""
        with store_errors("the export could not be stored; try a shorter period", f"storing {key}"):
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                ContentDisposition=filenames.content_disposition(filename),
            )
            # The download's headers are pinned in the signed URL too (S3 honours response-*
            # overrides only on signed requests): always an attachment of the export's own type.
            # S3 cannot add X-Content-Type-Options to a GET (its overrides are Content-Type,
            # -Disposition, -Encoding, -Language, Cache-Control and Expires), so the pinned type
            # plus `attachment` is what keeps a browser from rendering the file.
            return self._client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": filenames.content_disposition(filename),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=expires_in,
            )

    def delete(self, key: str) -> None:
        with store_errors("the uploads bucket is unavailable", f"deleting s3://{self.bucket}/{key}"):
            self._client.delete_object(Bucket=self.bucket, Key=key)

    def delete_quietly(self, key: str, failures: FailureCounter) -> None:
        """Remove an object; a failure is logged and counted ("cleanup"), not raised."""
        try:
            self.delete(key)
        except StorageUnavailable:
            failures.add("cleanup")

    def ping(self) -> None:
        with store_errors("the uploads bucket is unavailable", f"checking s3://{self.bucket}"):
            self._client.head_bucket(Bucket=self.bucket)
