"""Uploads: the direct and presigned (S3) paths, the ingest pipeline, the uploads bucket."""
