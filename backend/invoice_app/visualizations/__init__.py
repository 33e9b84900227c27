"""Saved visualizations of the invoice data: model, validation, store, data (queries, maths), routes, live."""
