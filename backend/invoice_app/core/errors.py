"""Typed errors; the HTTP layer maps each to its status code and a `{"error": message}` body.

Stores raise these instead of botocore's `ClientError`, so no caller has to know which AWS call
failed or how botocore reports it.
"""

from __future__ import annotations


class AppError(Exception):
    """An error whose message is safe and useful to show to the API's caller."""

    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def headers(self) -> dict[str, str]:
        """Headers the answer must carry (e.g. `WWW-Authenticate` on a 401)."""
        return {}


class BadRequest(AppError):
    status = 400


class NotFound(AppError):
    status = 404


class PayloadTooLarge(AppError):
    status = 413

    @classmethod
    def for_size(cls, size: int, limit: int) -> PayloadTooLarge:
        """The one wording of "too large" for every upload path."""
        return cls(f"the file is {size:,} bytes; the limit is {limit:,} bytes")


class UnsupportedMediaType(AppError):
    status = 415


class UnprocessableDocument(AppError):
    """The file has an accepted type but cannot be read: corrupt, encrypted, too many pages…"""

    status = 422


class StorageUnavailable(AppError):
    """A store the request cannot do without (a table, the uploads bucket) failed.

    `code` is the AWS error code when there was one (e.g. ``ConditionalCheckFailedException``).
    """

    status = 503

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class EngineUnavailable(AppError):
    """The text-detection service (Textract) failed for a reason that is not the document's fault."""

    status = 503
