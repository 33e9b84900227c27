"""The limits of the AWS services this app runs on, written once.

The backend enforces them (it must never send what AWS would refuse) and the local stack
(`infra/devstack`) plays them, so both read the numbers from here.
"""

from __future__ import annotations

# API Gateway WebSocket: one message (client → server or @connections POST) is at most 128 KB,
# a frame at most 32 KB; an idle connection closes after 10 minutes, any connection after 2 hours.
WS_MAX_MESSAGE_BYTES = 128 * 1024
WS_MAX_FRAME_BYTES = 32 * 1024
WS_IDLE_TIMEOUT_SECONDS = 600
WS_MAX_CONNECTION_LIFE_SECONDS = 7200

# Lambda's synchronous invocation payload (request and response) is at most 6 MB.
LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024
# HTTP API refuses request bodies over 10 MB before Lambda sees them.
HTTP_API_MAX_BODY_BYTES = 10 * 1024 * 1024

# base64 inflates a body by 4/3 and a multipart envelope adds a little more, so ~4.5 MB of file is
# what really fits in one HTTP request to the function.
DEFAULT_MAX_UPLOAD_BYTES = 4_500_000
# Larger files go to S3 with a presigned POST; the bound keeps a whole file in the function's memory.
DEFAULT_MAX_S3_UPLOAD_BYTES = 20_000_000

# A DynamoDB item is at most 400 KB (names and values); a stored answer stays well below it.
DYNAMODB_MAX_ITEM_BYTES = 400 * 1024
IDEMPOTENCY_MAX_RESPONSE_BYTES = 350 * 1024
# The HTTP API gives up on a request after 30 s (the function's timeout is lower still).
HTTP_API_TIMEOUT_SECONDS = 30

# API Gateway's account-wide request rate, shared by every post_to_connection.
ACCOUNT_REQUESTS_PER_SECOND = 10_000

# The resource names the app uses when the environment names none (the local stack's names).
DEFAULT_TABLES = {
    "INVOICES_TABLE": "Invoices",
    "METRICS_TABLE": "InvoiceMetrics",
    "CONNECTIONS_TABLE": "WSConnections",
    "HISTORY_TABLE": "InvoiceHistory",
    "IDEMPOTENCY_TABLE": "IdempotencyKeys",
    "TOPICS_TABLE": "WSTopics",
    "VISUALIZATIONS_TABLE": "Visualizations",
}
DEFAULT_UPLOADS_BUCKET = "invoice-uploads"

# WebSocket topics (`invoice:<id>`, `visualization:<id>`): how many one connection may follow, how
# long an id may be, and how many presence-causing actions (subscribe, unsubscribe, focus) one
# connection may send per window (counted in DynamoDB: several Lambda instances serve one socket).
WS_MAX_TOPICS_PER_CONNECTION = 20
WS_MAX_TOPIC_ID = 64
WS_PRESENCE_ACTIONS_PER_WINDOW = 5
WS_PRESENCE_WINDOW_SECONDS = 10

# WebSocket client messages (ratelimit/websocket.py): the app's own size bound (its largest real
# message, a `focus` with a topic and a field, is under 200 bytes) and a per-connection rate above
# what a well-behaved page sends: cursors at up to 20/s (visualizations/live.py) plus presence,
# pings and metric requests.
WS_MAX_CLIENT_MESSAGE_BYTES = 8 * 1024
WS_CLIENT_MESSAGES_PER_SECOND = 30
WS_CLIENT_MESSAGE_BURST = 60
