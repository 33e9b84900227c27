"""The topics table: who is subscribed to what (`topic` + `connectionId`, index `byConnection`).

A topic's members are one `Query` on its partition, so a topic message costs O(subscribers),
never a scan of every connection; a connection's topics are one `Query` on the `byConnection`
index (KEYS_ONLY), so `$disconnect` and a 410 remove its memberships without a scan either.
Items expire with the connection's TTL (a connection lives at most 2 h). Failed AWS calls raise
`StorageUnavailable`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..core.dynamo import error_code, store_errors, to_item
from ..core.limits import WS_MAX_CONNECTION_LIFE_SECONDS, WS_MAX_TOPIC_ID, WS_MAX_TOPICS_PER_CONNECTION

UNAVAILABLE = "the topics table is unavailable"
BY_CONNECTION = "byConnection"
# `invoice:<id>` (review) and `visualization:<id>` (a later feature); ids of letters, digits, _ and -.
# `invoices`: the invoice list (status and field changes of every invoice, review/live.py).
LIST_TOPIC = "invoices"
TOPIC_PATTERN = re.compile(rf"{LIST_TOPIC}|(invoice|visualization):[A-Za-z0-9_-]{{1,{WS_MAX_TOPIC_ID}}}")
MAX_FIELD = 64
CONDITION_FAILED = "ConditionalCheckFailedException"


def valid_topic(topic: Any) -> bool:
    return isinstance(topic, str) and TOPIC_PATTERN.fullmatch(topic) is not None


@dataclass(frozen=True)
class Member:
    connection_id: str
    sub: str
    name: str
    email: str
    editing: str | None = None


class TooManyTopics(Exception):
    pass


class TopicStore:
    def __init__(
        self,
        client: Any,
        table: str,
        ttl_seconds: int = WS_MAX_CONNECTION_LIFE_SECONDS,
        max_topics: int = WS_MAX_TOPICS_PER_CONNECTION,
    ) -> None:
        self._client = client
        self.table = table
        self._ttl_seconds = ttl_seconds
        self.max_topics = max_topics

    def topics_of(self, connection_id: str) -> list[str]:
        """The topics a connection is subscribed to (at most `max_topics`, one page)."""
        with store_errors(UNAVAILABLE, f"listing the topics of {connection_id}"):
            page = self._client.query(
                TableName=self.table,
                IndexName=BY_CONNECTION,
                KeyConditionExpression="connectionId = :c",
                ExpressionAttributeValues={":c": {"S": connection_id}},
            )
        return [item["topic"]["S"] for item in page.get("Items", [])]

    def join(self, topic: str, member: Member, *, now_s: int, expires_at: int | None = None) -> bool:
        """Subscribe; False when it already was. `TooManyTopics` past the limit."""
        current = self.topics_of(member.connection_id)
        if topic in current:
            return False
        if len(current) >= self.max_topics:
            raise TooManyTopics(f"at most {self.max_topics} topics per connection")
        item = {
            "topic": topic,
            "connectionId": member.connection_id,
            "sub": member.sub,
            "name": member.name,
            "email": member.email,
            "ttl": expires_at or now_s + self._ttl_seconds,
        }
        with store_errors(UNAVAILABLE, f"subscribing {member.connection_id} to {topic}"):
            self._client.put_item(TableName=self.table, Item=to_item(item))
        return True

    def leave(self, topic: str, connection_id: str) -> bool:
        """Unsubscribe; False when it was not subscribed."""
        with store_errors(UNAVAILABLE, f"unsubscribing {connection_id} from {topic}"):
            try:
                self._client.delete_item(
                    TableName=self.table,
                    Key={"topic": {"S": topic}, "connectionId": {"S": connection_id}},
                    ConditionExpression="attribute_exists(connectionId)",
                )
            except ClientError as exc:
                if error_code(exc) == CONDITION_FAILED:
                    return False
                raise
        return True

    def focus(self, topic: str, connection_id: str, field: str) -> bool:
        """Set the field a member edits; False when it is not subscribed."""
        return self._update_member(
            topic,
            connection_id,
            f"focus of {connection_id} on {topic}",
            update="SET #e = :f",
            condition="attribute_exists(connectionId)",
            values={":f": {"S": field}},
        )

    def clear_focus(self, topic: str, connection_id: str) -> bool:
        """Clear the field a member edits; False when it held none (or is not subscribed)."""
        return self._update_member(
            topic,
            connection_id,
            f"clearing the focus of {connection_id} on {topic}",
            update="REMOVE #e",
            condition="attribute_exists(#e)",
        )

    def _update_member(
        self,
        topic: str,
        connection_id: str,
        what: str,
        *,
        update: str,
        condition: str,
        values: dict[str, Any] | None = None,
    ) -> bool:
        """One conditional update of a member's `editing`; False when the condition fails."""
        with store_errors(UNAVAILABLE, what):
            try:
                self._client.update_item(
                    TableName=self.table,
                    Key={"topic": {"S": topic}, "connectionId": {"S": connection_id}},
                    UpdateExpression=update,
                    ConditionExpression=condition,
                    ExpressionAttributeNames={"#e": "editing"},
                    **({"ExpressionAttributeValues": values} if values else {}),
                )
            except ClientError as exc:
                if error_code(exc) == CONDITION_FAILED:
                    return False
                raise
        return True

    def members(self, topic: str) -> list[Member]:
        """Every subscriber of `topic`: one query of its partition (paged), never a scan."""
        out: list[Member] = []
        paginator = self._client.get_paginator("query")
        with store_errors(UNAVAILABLE, f"reading the members of {topic}"):
            for page in paginator.paginate(
                TableName=self.table,
                KeyConditionExpression="topic = :t",
                ExpressionAttributeValues={":t": {"S": topic}},
                ConsistentRead=True,
            ):
                for item in page.get("Items", []):
                    out.append(
                        Member(
                            connection_id=item["connectionId"]["S"],
                            sub=item.get("sub", {}).get("S", ""),
                            name=item.get("name", {}).get("S", ""),
                            email=item.get("email", {}).get("S", ""),
                            editing=item.get("editing", {}).get("S"),
                        )
                    )
        return out

    def remove_connection(self, connection_id: str) -> list[str]:
        """Delete every membership of a connection; returns the topics it was in."""
        topics = self.topics_of(connection_id)
        with store_errors(UNAVAILABLE, f"removing the memberships of {connection_id}"):
            for start in range(0, len(topics), 25):
                requests = [
                    {"DeleteRequest": {"Key": {"topic": {"S": t}, "connectionId": {"S": connection_id}}}}
                    for t in topics[start : start + 25]
                ]
                unprocessed: dict[str, Any] = {self.table: requests}
                for _ in range(5):
                    answer = self._client.batch_write_item(RequestItems=unprocessed)
                    unprocessed = answer.get("UnprocessedItems") or {}
                    if not unprocessed:
                        break
        return topics

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._client.describe_table(TableName=self.table)
