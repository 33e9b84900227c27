"""WebSocket plumbing: the connection registry, the @connections transport, fan-out, client actions.

Features build on it (metrics pushes snapshots, registers `getMetrics`); it imports no feature.
"""
