"""The local stack: the SAM template's resources on an embedded moto server, a local API Gateway
(HTTP + WebSocket + @connections) and a DynamoDB Stream poller, all driving the real handler."""
