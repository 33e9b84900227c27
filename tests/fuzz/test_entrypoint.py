"""Fuzzing the Lambda entrypoint with generated events of every kind it accepts.

Properties, for every event: nothing raises out of `lambda_handler`; an HTTP client error is a 4xx
with a JSON `error`; no answer carries a traceback; every 200 upload is stored completely (the
invoice item and the S3 original). Requests carry real tokens of the moto user pool, so they get
past sign-in to the code under test. Profiles in conftest.py (`ci` by default, `fuzz` for long runs).
"""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any
from urllib.parse import quote

import boto3
from hypothesis import event as count
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import strategies as fz
from tests.helpers.events import load_event


def body_text(response: dict[str, Any]) -> str:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    return body


def check_http(response: Any, method: str = "GET") -> dict[str, Any] | None:
    """The HTTP properties; the JSON body when there is one."""
    assert isinstance(response, dict), response
    status = response["statusCode"]
    count(f"HTTP {status}")  # counted in --hypothesis-show-statistics
    text = body_text(response)
    assert "Traceback" not in text and 'File "' not in text, text[:500]
    assert isinstance(status, int) and status < 500, (status, text[:500])
    if method == "HEAD" or not text:
        assert status < 400 or method == "HEAD", response
        return None
    data = json.loads(text)
    if status >= 400:
        assert isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"], data
    return data if isinstance(data, dict) else None


def check_stored(services, data: dict[str, Any]) -> None:
    invoice = services.invoices.get(data["invoiceId"])
    assert invoice is not None, data["invoiceId"]
    assert invoice.file_name == data["fileName"]
    assert "\n" not in invoice.file_name and "\r" not in invoice.file_name
    head = boto3.client("s3").head_object(Bucket=services.settings.uploads_bucket, Key=invoice.s3_key)
    assert head["ContentLength"] == invoice.size_bytes


# -- HTTP -------------------------------------------------------------------------------------------


@given(
    flavour=st.sampled_from(sorted(fz.HTTP_TEMPLATES)),
    route=st.sampled_from(fz.ROUTES),
    method=st.none() | fz.methods,
    role=st.sampled_from(["viewer", "reviewer", "admin", "none", "garbage", "empty"]),
    query=fz.query_params,
    body=st.none() | fz.json_bodies,
    content_type=st.sampled_from([None, "application/json", "text/plain", "multipart/form-data"]),
    base64_body=st.booleans(),
    headers=st.dictionaries(st.sampled_from(["x-forwarded-port", "host", "cookie", "accept"]), fz.nasty_text),
)
def test_http_requests_of_every_flavour(
    stack, flavour, route, method, role, query, body, content_type, base64_body, headers
) -> None:
    method = method or route[0]
    event = fz.http_event(
        flavour,
        method,
        route[1],
        token=stack.tokens[role],
        query=query,
        body=body,
        content_type=content_type,
        base64_body=base64_body,
        extra_headers=headers,
    )
    check_http(stack.handler(event, None), method)


HTTP_PATHS = [
    ("headers",),
    ("multiValueHeaders",),
    ("body",),
    ("isBase64Encoded",),
    ("httpMethod",),
    ("path",),
    ("rawPath",),
    ("rawQueryString",),
    ("cookies",),
    ("queryStringParameters",),
    ("multiValueQueryStringParameters",),
    ("requestContext",),
    ("requestContext", "http"),
    ("requestContext", "http", "method"),
    ("requestContext", "authorizer"),
    ("requestContext", "identity"),
    ("requestContext", "elb"),
    ("headers", "authorization"),
    ("headers", "content-type"),
    ("version",),
]


@given(
    flavour=st.sampled_from(sorted(fz.HTTP_TEMPLATES)),
    route=st.sampled_from(fz.ROUTES),
    mutations=st.lists(st.tuples(st.sampled_from(HTTP_PATHS), fz.json_values | fz.nasty_text), max_size=3),
)
def test_http_events_in_shapes_aws_never_sends(stack, flavour, route, mutations) -> None:
    token = stack.tokens["reviewer"]
    event = fz.http_event(flavour, route[0], route[1], token=token, body='{"fileName":"a.pdf","size":5}')
    for path, value in mutations:
        event = fz.mutate(event, path, value)
    response = stack.handler(event, None)
    assert isinstance(response, dict)
    if "statusCode" in response:  # an event no longer HTTP is answered by its own kind
        check_http(response, "HEAD")


@given(
    flavour=st.sampled_from(sorted(fz.HTTP_TEMPLATES)),
    route=st.sampled_from(["/receive", "/api/invoices"]),
    data=fz.files,
    name=fz.file_names,
    star=st.booleans(),
    field=st.sampled_from(["file", "file", "upload"]),
)
def test_direct_uploads_are_stored_completely_or_refused(
    stack, flavour, route, data, name, star, field
) -> None:
    body, content_type = fz.multipart(data, name, star=star, field=field)
    event = fz.http_event(
        flavour, "POST", route, token=stack.tokens["reviewer"], body=body, content_type=content_type
    )
    answer = check_http(stack.handler(event, None), "POST")
    if answer is not None and "invoiceId" in answer:
        count("stored")
        check_stored(stack.services, answer)


@given(data=fz.files, name=fz.file_names, raw_metadata=st.booleans())
def test_presigned_uploads_are_stored_completely_or_refused(stack, data, name, raw_metadata) -> None:
    token = stack.tokens["reviewer"]
    ticket_body = json.dumps({"fileName": name, "size": max(len(data), 1)})
    event = fz.http_event(
        "v2", "POST", "/api/uploads", token=token, body=ticket_body, content_type="application/json"
    )
    ticket = check_http(stack.handler(event, None), "POST")
    if ticket is None or "uploadId" not in ticket:
        return
    # What the browser's POST stores; `raw_metadata`: what a hostile client could put there.
    fields = ticket["fields"]
    meta = quote(name.encode("utf-8", "surrogatepass")) if raw_metadata else fields["x-amz-meta-filename"]
    boto3.client("s3").put_object(
        Bucket=stack.names["UPLOADS_BUCKET"], Key=fields["key"], Body=data, Metadata={"filename": meta}
    )
    process = fz.http_event("v2", "POST", f"/api/uploads/{ticket['uploadId']}/process", token=token)
    answer = check_http(stack.handler(process, None), "POST")
    if answer is not None and "invoiceId" in answer:
        count("stored")
        check_stored(stack.services, answer)


# -- WebSocket, streams, the authorizer ----------------------------------------------------------------

CID = "L0SM9cOFvHcCIhw="  # the recorded events' connection
WS_TEMPLATES = ["ws_connect", "ws_disconnect", "ws_default_ping", "ws_default_get_metrics"]
WS_PATHS = [
    ("body",),
    ("headers",),
    ("requestContext", "routeKey"),
    ("requestContext", "connectionId"),
    ("requestContext", "connectedAt"),
    ("requestContext", "identity"),
    ("requestContext", "authorizer"),
    ("requestContext", "authorizer", "exp"),
    ("requestContext", "authorizer", "sub"),
    ("requestContext", "authorizer", "roles"),
    ("requestContext", "domainName"),
    ("requestContext", "stage"),
]
ws_bodies = st.one_of(
    fz.json_bodies,
    fz.json_values,
    st.builds(lambda a: json.dumps({"action": a}), st.text(max_size=20)),
    fz.cursor_actions,
)


@given(
    template=st.sampled_from(WS_TEMPLATES),
    route=st.none()
    | st.sampled_from(["$connect", "$disconnect", "$default", "ping", "getMetrics", "cursor", "x"]),
    body=st.none() | ws_bodies,
    mutations=st.lists(st.tuples(st.sampled_from(WS_PATHS), fz.json_values | fz.nasty_text), max_size=3),
)
def test_websocket_events(stack, template, route, body, mutations) -> None:
    stack.connections.live.add(CID)
    event = load_event(template)
    if route is not None:
        event["requestContext"]["routeKey"] = route
    if body is not None:
        event["body"] = body
    for path, value in mutations:
        event = fz.mutate(event, path, value)
    response = stack.handler(event, None)
    assert isinstance(response, dict)
    assert response.get("statusCode", 400) in (200, 400, 401), response
    assert "Traceback" not in json.dumps(response)
    for message in stack.connections.messages(CID):
        assert message["type"] in ("pong", "metrics-update", "error"), message
        if message["type"] == "error":
            assert isinstance(message["error"], str) and message["error"]


stream_records = st.fixed_dictionaries(
    {"eventSource": st.just("aws:dynamodb")},
    optional={
        "eventName": st.sampled_from(["INSERT", "MODIFY", "REMOVE"]) | fz.json_values,
        "dynamodb": fz.json_values
        | st.fixed_dictionaries(
            {},
            optional={
                "Keys": fz.json_values,
                "NewImage": fz.json_values
                | st.dictionaries(st.sampled_from(["invoiceId", "kind", "latency"]), fz.json_values),
                "SequenceNumber": fz.json_values | st.text(max_size=5),
            },
        ),
    },
)
RECORDED = load_event("dynamodb_stream_metric_inserts")["Records"]


@given(records=st.lists(stream_records | st.sampled_from(RECORDED), min_size=1, max_size=5))
def test_stream_batches(stack, records) -> None:
    response = stack.handler({"Records": records}, None)
    assert isinstance(response, dict) and isinstance(response["batchItemFailures"], list), response


ARN = load_event("ws_authorizer_connect")["methodArn"]


@given(
    query=st.one_of(
        fz.json_values,
        st.dictionaries(
            st.sampled_from(["token", "x"]),
            fz.json_values | st.sampled_from(["viewer", "reviewer", "admin", "garbage", "empty"]),
            max_size=2,
        ),
    ),
    method_arn=st.just(ARN) | fz.json_values,
    headers=fz.json_values,
)
def test_authorizer_events(stack, query, method_arn, headers) -> None:
    role = query.get("token") if isinstance(query, dict) else None
    if isinstance(role, str) and role in stack.tokens:
        query = {**query, "token": stack.tokens[query["token"]]}  # a role's name → its real token
    event = load_event("ws_authorizer_connect")
    event.update(queryStringParameters=query, headers=headers)
    if method_arn is not None:
        event["methodArn"] = method_arn
    response = stack.handler(event, None)
    assert isinstance(response, dict)
    if "policyDocument" in response:
        [statement] = response["policyDocument"]["Statement"]
        assert statement["Effect"] in ("Allow", "Deny")
        if statement["Effect"] == "Allow":
            assert isinstance(query, dict) and query.get("token") in [t for t in stack.tokens.values() if t]
    else:
        check_http(response, "HEAD")  # no longer an authorizer event: the 400 of an unknown one


# -- broadcast queue (SQS): shards of a sharded fan-out and catch-ups ---------------------------

SHARD_IDS = ["fz-a=", "fz-b=", "fz-c=", "fz-gone="]
SQS_RECORDED = (
    load_event("sqs_broadcast_shards")["Records"] + load_event("sqs_broadcast_malformed")["Records"]
)


def shard_body(stack, broadcast_id: str, index: int, targets: list[list[Any]]) -> str:
    """A well-formed shard for this app's endpoint; the payload names the broadcast, so frames
    can be counted per broadcast."""
    payload = json.dumps({"type": "metrics-update", "data": {"fuzzBroadcast": broadcast_id}})
    endpoint = stack.services.realtime.endpoint()
    return json.dumps(
        {
            "v": 1,
            "kind": "broadcast-shard",
            "broadcastId": broadcast_id,
            "shard": index,
            "what": "broadcast",
            "endpoint": endpoint,
            "payload": payload,
            "targets": targets,
        }
    )


sqs_bodies = st.one_of(
    fz.json_bodies,
    fz.nasty_text,
    st.sampled_from([r["body"] for r in SQS_RECORDED]),
    st.builds(
        lambda d: json.dumps({"v": 1, "kind": "broadcast-shard", **d}),
        st.dictionaries(
            st.sampled_from(["broadcastId", "shard", "what", "endpoint", "payload", "targets"]),
            fz.json_values,
        ),
    ),
    st.builds(
        lambda d: json.dumps({"v": 1, "kind": "broadcast-due", **d}),
        st.dictionaries(st.sampled_from(["topic", "sinceMs", "dueMs"]), fz.json_values | st.integers()),
    ),
)


_BROADCAST_SERIAL = itertools.count()


@given(
    # Each connection in at most one shard, as the producer cuts them (tokenExp 1: expired).
    assignment=st.dictionaries(
        st.sampled_from(SHARD_IDS),
        st.tuples(st.integers(min_value=0, max_value=2), st.none() | st.sampled_from([1, 4102444800])),
        max_size=4,
    ),
    junk=st.lists(st.tuples(fz.json_values | st.uuids().map(str), sqs_bodies), max_size=3),
    duplicate=st.booleans(),
    data=st.data(),
)
def test_broadcast_queue_batches(stack, assignment, junk, duplicate, data) -> None:
    """Nothing raises; failures name the batch's own messages; within one broadcast a connection
    gets at most one frame, even with the same shard twice in a batch (SQS is at-least-once)."""
    stack.connections.live.update(SHARD_IDS[:-1])
    # Unique per example: the stack and its received frames outlive an example, and hypothesis may
    # draw the same uuid again, which would merge two broadcasts whose shards differ.
    broadcast_id = f"{next(_BROADCAST_SERIAL):06d}" + data.draw(st.uuids()).hex[:10]
    records = []
    shards: dict[int, list[list[Any]]] = {}
    for cid, (index, exp) in assignment.items():
        shards.setdefault(index, []).append([cid, exp])
    for n, (index, targets) in enumerate(sorted(shards.items())):
        body = shard_body(stack, broadcast_id, index, targets)
        records.append({"messageId": f"ok-{broadcast_id}-{n}", "eventSource": "aws:sqs", "body": body})
    if duplicate and records:
        records.append(dict(records[0]))
    for message_id, body in junk:
        records.append({"messageId": message_id, "eventSource": "aws:sqs", "body": body})
    records = data.draw(st.permutations(records)) if records else [{"eventSource": "aws:sqs"}]

    response = stack.handler({"Records": records}, None)

    assert isinstance(response, dict) and isinstance(response["batchItemFailures"], list), response
    ids = [r.get("messageId") for r in records]
    assert all(f["itemIdentifier"] in ids for f in response["batchItemFailures"]), response
    for cid in SHARD_IDS:
        got = [
            m
            for m in stack.connections.messages(cid)
            if m.get("data", {}).get("fuzzBroadcast") == broadcast_id
        ]
        assert len(got) <= 1, (cid, got)
