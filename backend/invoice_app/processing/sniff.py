"""Recognise an upload's type from its first bytes, never from its name or declared type."""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
ACCEPTED_TYPES = (PDF, PNG, JPEG, TIFF, WEBP)


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its leading bytes, or None when it is not one we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    # PDF readers accept up to 1 KB of junk before the header; so do we.
    if b"%PDF-" in head[:1024]:
        return PDF
    return None
