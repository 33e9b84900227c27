from .fields import extract_fields

__all__ = ["extract_fields"]
