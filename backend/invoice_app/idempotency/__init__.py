"""Retry safety for the writing routes: `Idempotency-Key` (`http.idempotent`) over a small table."""
