"""The broadcast queue locally: created in moto from the template, fed to the function like
Lambda's SQS event source mapping does (the stream poller's counterpart, `streams.py`).

`provision_queues` creates the template's `BroadcastDeadLetterQueue` and `BroadcastQueue` (its
visibility timeout and redrive policy as declared) and returns the function's environment for it.
`QueuePoller` runs `concurrency` pollers (the mapping's `MaximumConcurrency`): each receives up to
`batch_size` messages (long polling), hands them to the function as `{"Records": [...]}` in
Lambda's shape, deletes those not named in `batchItemFailures` and leaves the others to reappear
after the visibility timeout — with their receive count growing until the redrive policy moves
them to the dead-letter queue. An invocation that fails deletes nothing (Lambda retries the
batch). `retry_visibility_s` shortens the wait for a redrive locally (ChangeMessageVisibility),
so a failed shard comes back in a second instead of the template's three minutes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .lambda_runtime import InvocationFailed, PayloadTooLarge
from .template import resources

log = logging.getLogger(__name__)

QUEUE_ID = "BroadcastQueue"
DLQ_ID = "BroadcastDeadLetterQueue"
MAPPING_TYPE = "AWS::Lambda::EventSourceMapping"


def _queue_attributes(props: dict[str, Any], dlq_arn: str | None) -> dict[str, str]:
    attrs = {}
    for name in (
        "VisibilityTimeout",
        "MessageRetentionPeriod",
        "DelaySeconds",
        "ReceiveMessageWaitTimeSeconds",
    ):
        if name in props:
            attrs[name] = str(props[name])
    redrive = props.get("RedrivePolicy")
    if redrive and dlq_arn:
        attrs["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": int(redrive["maxReceiveCount"])}
        )
    return attrs


def provision_queues(sqs: Any, template: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Create the broadcast queue and its DLQ as the template declares them; their URLs and ARNs."""
    queues = resources(template, "AWS::SQS::Queue")
    dlq_url = sqs.create_queue(
        QueueName=f"{prefix}{DLQ_ID}", Attributes=_queue_attributes(queues[DLQ_ID]["Properties"], None)
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    url = sqs.create_queue(
        QueueName=f"{prefix}{QUEUE_ID}", Attributes=_queue_attributes(queues[QUEUE_ID]["Properties"], dlq_arn)
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"url": url, "arn": arn, "dlq_url": dlq_url}


def mapping_settings(template: dict[str, Any]) -> dict[str, int]:
    """The queue mapping's BatchSize and MaximumConcurrency (a parameter's default if a !Ref)."""
    for res in resources(template, MAPPING_TYPE).values():
        props = res["Properties"]
        if props.get("EventSourceArn") == {"Fn::GetAtt": [QUEUE_ID, "Arn"]}:
            concurrency = (props.get("ScalingConfig") or {}).get("MaximumConcurrency", 2)
            if isinstance(concurrency, dict) and "Ref" in concurrency:
                concurrency = template["Parameters"][concurrency["Ref"]]["Default"]
            return {"batch_size": int(props.get("BatchSize", 10)), "concurrency": int(concurrency)}
    raise LookupError("the template maps no broadcast queue")


class QueuePoller:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        invoke: Callable[[dict[str, Any]], Any],
        *,
        batch_size: int = 1,
        concurrency: int = 2,
        wait_s: int = 1,
        retry_visibility_s: int | None = 1,
        region: str = "us-east-1",
    ) -> None:
        self._sqs = sqs
        self.queue_url = queue_url
        self._arn = queue_arn
        self._invoke = invoke
        self.batch_size = batch_size
        self.wait_s = wait_s
        self.retry_visibility_s = retry_visibility_s
        self._region = region
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.batches = 0
        self.deleted = 0
        self.redelivered = 0  # messages reported failed (or of a failed invocation), left to reappear
        self._threads = [
            threading.Thread(target=self._run, name=f"queue-poller-{i}", daemon=True)
            for i in range(concurrency)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=self.wait_s + 5)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        """A received message in the shape Lambda hands an SQS record to the function."""
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes") or {},
            "messageAttributes": message.get("MessageAttributes") or {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self._arn,
            "awsRegion": self._region,
        }

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                answer = self._sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=self.batch_size,
                    WaitTimeSeconds=self.wait_s,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                )
            except (ClientError, BotoCoreError) as exc:
                if self._stop.is_set():
                    return
                log.warning("receiving from the broadcast queue failed: %s", exc)
                self._stop.wait(1.0)
                continue
            messages = answer.get("Messages") or []
            if messages:
                self._deliver(messages)

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        try:
            result = self._invoke({"Records": [self._record(m) for m in messages]})
        except (InvocationFailed, PayloadTooLarge) as exc:
            log.warning("broadcast queue batch of %d failed: %s; redelivered later", len(messages), exc)
            self._leave(messages)
            return
        failures = (result.get("batchItemFailures") or []) if isinstance(result, dict) else []
        failed_ids = {f.get("itemIdentifier") for f in failures if isinstance(f, dict)}
        done = [m for m in messages if m["MessageId"] not in failed_ids]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        self._leave([m for m in messages if m["MessageId"] in failed_ids])
        with self._lock:
            self.batches += 1
            self.deleted += len(done)

    def _leave(self, messages: list[dict[str, Any]]) -> None:
        """Not deleted: back after the visibility timeout (locally: `retry_visibility_s`)."""
        with self._lock:
            self.redelivered += len(messages)
        if self.retry_visibility_s is None:
            return
        for m in messages:
            try:
                self._sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=m["ReceiptHandle"],
                    VisibilityTimeout=self.retry_visibility_s,
                )
            except (ClientError, BotoCoreError) as exc:
                log.warning("shortening the visibility of %s failed: %s", m["MessageId"], exc)
