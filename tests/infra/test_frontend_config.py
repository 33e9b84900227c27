"""infra/frontend_config.py: config.json from the stack outputs, and publishing the static build."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

import frontend_config

OUTPUTS = {
    "HttpApiUrl": "https://h1.execute-api.eu-central-1.amazonaws.com",
    "WebSocketUrl": "wss://w1.execute-api.eu-central-1.amazonaws.com/prod",
    "MaxUploadBytes": "4500000",
    "MaxS3UploadBytes": "20000000",
    "FrontendBucketName": "frontend-bucket",
    "FrontendDistributionId": "E1ABCDEF",
    "FrontendUrl": "https://d111.cloudfront.net",
    "UserPoolId": "eu-central-1_AbCdEf123",
    "UserPoolClientId": "4abc123def456ghi789jkl0mno",
    "CognitoRegion": "eu-central-1",
}
AUTH = {
    "mode": "cognito",
    "region": "eu-central-1",
    "userPoolId": "eu-central-1_AbCdEf123",
    "clientId": "4abc123def456ghi789jkl0mno",
    "endpoint": "https://cognito-idp.eu-central-1.amazonaws.com/",
}


def test_config_from_stack_outputs() -> None:
    cloudformation = boto3.client("cloudformation", region_name="eu-central-1")
    described = {
        "Stacks": [
            {
                "StackName": "invoice-processing",
                "CreationTime": "2026-11-22T10:00:00Z",
                "StackStatus": "CREATE_COMPLETE",
                "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in OUTPUTS.items()],
            }
        ]
    }
    with Stubber(cloudformation) as stub:
        stub.add_response("describe_stacks", described, {"StackName": "invoice-processing"})
        outputs = frontend_config.stack_outputs(cloudformation, "invoice-processing")
    assert frontend_config.frontend_config(outputs) == {
        "apiUrl": "https://h1.execute-api.eu-central-1.amazonaws.com",
        "wsUrl": "wss://w1.execute-api.eu-central-1.amazonaws.com/prod",
        "maxUploadBytes": 4500000,
        "maxLargeUploadBytes": 20000000,
        "auth": AUTH,
    }


def test_the_auth_block_names_the_pool_the_client_and_cognitos_endpoint() -> None:
    # a stack without the region output: the pool id's own prefix is its region
    outputs = {k: v for k, v in OUTPUTS.items() if k != "CognitoRegion"}

    assert frontend_config.frontend_config(outputs)["auth"] == AUTH


def test_a_stack_without_a_user_pool_gets_auth_mode_none() -> None:
    older = {k: v for k, v in OUTPUTS.items() if k not in ("UserPoolId", "UserPoolClientId", "CognitoRegion")}

    assert frontend_config.frontend_config(older)["auth"] == {"mode": "none"}


def test_a_stack_without_the_s3_upload_path_still_gets_a_config() -> None:
    older = {k: v for k, v in OUTPUTS.items() if k != "MaxS3UploadBytes"}

    assert "maxLargeUploadBytes" not in frontend_config.frontend_config(older)


def test_missing_outputs_are_named() -> None:
    with pytest.raises(frontend_config.MissingOutputs, match="WebSocketUrl"):
        frontend_config.frontend_config({"HttpApiUrl": "https://x", "MaxUploadBytes": "1"})


def make_build(root: Path) -> Path:
    files = {
        "index.html": "<html>home</html>",
        "invoices.html": "<html>list</html>",
        "404.html": "<html>missing</html>",
        "_next/static/chunks/app-1a2b.js": "console.log(1)",
        "_next/static/css/site-3c4d.css": "body{}",
        "favicon.ico": "\x00",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_publish_uploads_with_cache_headers_and_removes_old_files(aws: None, tmp_path: Path) -> None:
    # GIVEN a bucket holding a file of an earlier build, and a new build with its config.json
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="frontend-bucket")
    s3.put_object(Bucket="frontend-bucket", Key="_next/static/chunks/old-9z.js", Body=b"old")
    build = make_build(tmp_path / "out")
    frontend_config.write_config(frontend_config.frontend_config(OUTPUTS), build / "config.json")

    # WHEN it is published
    result = frontend_config.publish(build, "frontend-bucket", s3)

    # THEN every file is there with its type and caching; the stale file is gone
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="frontend-bucket")["Contents"]}
    assert keys == {p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()}
    assert result["deleted"] == ["_next/static/chunks/old-9z.js"]

    def head(key: str) -> dict:
        return s3.head_object(Bucket="frontend-bucket", Key=key)

    assert head("index.html")["ContentType"] == "text/html; charset=utf-8"
    assert head("index.html")["CacheControl"] == frontend_config.REVALIDATE
    assert head("config.json")["CacheControl"] == frontend_config.REVALIDATE
    assert head("config.json")["ContentType"].startswith("application/json")
    assert head("_next/static/chunks/app-1a2b.js")["CacheControl"] == frontend_config.IMMUTABLE
    assert "javascript" in head("_next/static/chunks/app-1a2b.js")["ContentType"]
    config = s3.get_object(Bucket="frontend-bucket", Key="config.json")["Body"].read()
    assert json.loads(config)["wsUrl"].startswith("wss://")


def test_publish_uploads_assets_first_and_config_last(tmp_path: Path) -> None:
    build = make_build(tmp_path / "out")
    (build / "config.json").write_text("{}")

    class RecordingS3:
        def __init__(self) -> None:
            self.keys: list[str] = []

        def upload_file(self, filename: str, bucket: str, key: str, ExtraArgs: dict) -> None:
            self.keys.append(key)

    s3 = RecordingS3()
    frontend_config.publish(build, "b", s3, delete_stale=False)
    first_page = min(i for i, k in enumerate(s3.keys) if k.endswith(".html"))
    assert all(k.startswith("_next/") for k in s3.keys[:first_page])
    assert s3.keys[-1] == "config.json"


def test_publish_refuses_a_directory_without_a_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"index\.html"):
        frontend_config.publish(tmp_path, "b", object())


def test_publish_invalidates_the_distribution(tmp_path: Path) -> None:
    build = make_build(tmp_path / "out")
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")

    class NullS3:
        def upload_file(self, *args: object, **kwargs: object) -> None:
            pass

    with Stubber(cloudfront) as stub:
        batch = {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "r"}
        invalidation = {
            "Id": "I1",
            "Status": "InProgress",
            "CreateTime": "2026-11-22",
            "InvalidationBatch": batch,
        }
        stub.add_response("create_invalidation", {"Location": "x", "Invalidation": invalidation})
        result = frontend_config.publish(
            build, "b", NullS3(), cloudfront=cloudfront, distribution_id="E1ABCDEF", delete_stale=False
        )
        stub.assert_no_pending_responses()
    assert result["invalidation"] == "I1"
