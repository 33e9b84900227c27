"""Live metrics: latency histogram, per-second/minute rollups, the snapshot, and its broadcast."""
