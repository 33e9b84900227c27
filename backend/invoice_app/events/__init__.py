"""The Lambda entrypoint's dispatch: one module per event source.

`classify.py` recognises the event by its shape; `http.py`, `websocket.py` and `stream.py` each
hand one kind to the features. A new event source is a new module here plus one `EventKind`.
"""
