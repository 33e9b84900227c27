"""The local stack creates its tables and bucket from template.yaml: one source of truth.

GIVEN the template WHEN devstack.template.provision() creates the resources on moto THEN they
have the keys, index, stream and TTL settings that `sam deploy` creates on AWS.
"""

from __future__ import annotations

import boto3

from devstack.template import load_template, table_specs


def test_provisioned_tables_match_the_template(provisioned: dict[str, str]) -> None:
    dynamodb = boto3.client("dynamodb")

    invoices = dynamodb.describe_table(TableName=provisioned["INVOICES_TABLE"])["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in invoices["KeySchema"]] == [("invoiceId", "HASH")]
    (gsi,) = invoices["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "byCreatedAt"
    assert [(k["AttributeName"], k["KeyType"]) for k in gsi["KeySchema"]] == [
        ("listKey", "HASH"),
        ("createdAt", "RANGE"),
    ]

    metrics = dynamodb.describe_table(TableName=provisioned["METRICS_TABLE"])["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in metrics["KeySchema"]] == [
        ("invoiceId", "HASH"),
        ("timestamp", "RANGE"),
    ]
    assert metrics["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert metrics["LatestStreamArn"]

    for var in ("METRICS_TABLE", "CONNECTIONS_TABLE"):
        ttl = dynamodb.describe_time_to_live(TableName=provisioned[var])["TimeToLiveDescription"]
        assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")
    ttl = dynamodb.describe_time_to_live(TableName=provisioned["INVOICES_TABLE"])["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "DISABLED"  # invoices never expire

    boto3.client("s3").head_bucket(Bucket=provisioned["UPLOADS_BUCKET"])


def test_every_table_of_the_template_is_provisioned_locally() -> None:
    """A table the function uses but the local stack would not create would fail only on AWS."""
    from devstack.template import env_refs

    template = load_template()
    assert set(table_specs(template)) <= set(env_refs(template).values())


def test_the_uploads_bucket_gets_the_templates_cors_rule_for_local_origins(aws, resource_names) -> None:
    """The browser posts large files to the embedded S3; moto checks its preflight against this."""
    from devstack.template import provision

    s3 = boto3.client("s3")
    origins = ["http://127.0.0.1:8000", "http://localhost:8000"]
    provision(boto3.client("dynamodb"), s3, resource_names, cors_origins=origins)

    bucket = load_template()["Resources"]["UploadsBucket"]["Properties"]
    (declared,) = bucket["CorsConfiguration"]["CorsRules"]
    (rule,) = s3.get_bucket_cors(Bucket=resource_names["UPLOADS_BUCKET"])["CORSRules"]
    assert rule["AllowedOrigins"] == origins
    assert rule["AllowedMethods"] == declared["AllowedMethods"]
    assert rule["AllowedHeaders"] == declared["AllowedHeaders"]
    assert rule["MaxAgeSeconds"] == declared["MaxAge"]
