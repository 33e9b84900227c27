"""Exports: invoices as CSV or JSON for accounting, inline when small, through S3 when large."""
