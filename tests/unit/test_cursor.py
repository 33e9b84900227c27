"""The cursor codec accepts exactly the listing index's key (its attributes, their types) → 400 otherwise."""

from __future__ import annotations

import base64
import decimal

import pytest

from invoice_app.core.dynamo import UnstorableValue, to_item
from invoice_app.core.errors import BadRequest
from invoice_app.invoices.cursor import decode_cursor, encode_cursor

KEY = {
    "invoiceId": {"S": "inv_0a1b2c3d_1795343469"},
    "listKey": {"S": "invoice"},
    "createdAt": {"N": "1795343469120"},
}


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def plain(created_at: str, invoice_id: str = '"inv_x"', list_key: str = '"invoice"') -> str:
    return cursor_of(f'{{"invoiceId":{invoice_id},"listKey":{list_key},"createdAt":{created_at}}}')


def test_a_cursor_round_trips_to_the_same_key() -> None:
    assert decode_cursor(encode_cursor(KEY)) == KEY


BAD_CURSORS = {
    "deep nesting": cursor_of("[" * 10_000 + "]" * 10_000),
    "deep nesting in a value": plain("[" * 10_000 + "]" * 10_000),
    "Infinity": plain("Infinity"),
    "-Infinity": plain("-Infinity"),
    "NaN": plain("NaN"),
    "1e400": plain("1e400"),
    "45 digits": plain("1" * 45),
    "a float": plain("1.5"),
    "negative": plain("-1"),
    "a boolean": plain("true"),
    "a string number": plain('"1795343469120"'),
    "a numeric invoice id": plain("1", invoice_id="1e400"),
    "an empty invoice id": plain("1", invoice_id='""'),
    "a nested invoice id": plain("1", invoice_id='{"S": "x"}'),
    "another list key": plain("1", list_key='"other"'),
    "a missing attribute": cursor_of('{"invoiceId":"inv_x","createdAt":1}'),
    "an extra attribute": cursor_of('{"invoiceId":"inv_x","listKey":"invoice","createdAt":1,"x":1}'),
    "the old check only": cursor_of('{"invoiceId":"inv_x"}'),
    "a list": cursor_of('["invoiceId"]'),
    "not base64": "not-base64!!",
    "not ascii": "äöü",
    "not JSON": cursor_of("{invoiceId"),
    "not UTF-8": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    "too long": "A" * 2000,
}


@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_the_codec_refuses_what_it_did_not_make(cursor: str) -> None:
    with pytest.raises(BadRequest, match="not one this API returned"):
        decode_cursor(cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        BAD_CURSORS[k]
        for k in ("deep nesting", "Infinity", "NaN", "1e400", "45 digits", "a numeric invoice id")
    ],
    ids=["deep", "Infinity", "NaN", "1e400", "45 digits", "numeric id"],
)
def test_the_listing_answers_400_for_the_issue_cursors(client, cursor: str) -> None:
    response = client.get("/api/invoices", query_string={"cursor": cursor})

    assert response.status_code == 400, response.json
    assert "cursor" in response.json["error"]


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e400, 10**44, {"a": float("-inf")}, object()])
def test_to_item_names_values_dynamodb_cannot_hold(value) -> None:
    with pytest.raises(UnstorableValue, match="'createdAt' cannot be stored"):
        to_item({"createdAt": value})


def test_the_serializer_errors_are_what_to_item_used_to_leak() -> None:
    from boto3.dynamodb.types import TypeSerializer

    with pytest.raises(decimal.Inexact):
        TypeSerializer().serialize(decimal.Decimal(10**44 + 1))
    with pytest.raises(TypeError):
        TypeSerializer().serialize(decimal.Decimal("Infinity"))
