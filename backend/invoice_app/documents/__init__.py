"""The document view: each page of an invoice's stored original as an image, cached in S3."""
