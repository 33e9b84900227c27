"""Abuse limits that hold across Lambda instances: a per-user upload rate counted in DynamoDB."""
