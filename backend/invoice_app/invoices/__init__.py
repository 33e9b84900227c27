"""Invoices: the typed record, its repository (DynamoDB) and the read routes."""
