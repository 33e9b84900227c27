"""Write the deployed frontend's config.json from the stack outputs, and optionally publish the build.

The frontend is a static export; it learns its API and WebSocket URLs at run time from
`/config.json`. After `sam deploy`:

    cd frontend && npm ci && npm run build && cd ..          # -> frontend/out/
    python infra/frontend_config.py --stack-name invoice-processing --publish frontend/out

writes frontend/out/config.json from the stack's outputs, uploads the build to the frontend
bucket (hashed assets cached for a year, HTML and config.json revalidated on every load),
removes files of earlier builds and invalidates CloudFront's cache. Without --publish it only
writes the file (`--out` to choose where).
"""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("frontend_config")

# Stack outputs this script reads (template.yaml defines them).
API_URL_OUTPUT = "HttpApiUrl"
WS_URL_OUTPUT = "WebSocketUrl"
MAX_UPLOAD_OUTPUT = "MaxUploadBytes"
# Optional: a stack deployed before the S3 upload path has no such output.
MAX_S3_UPLOAD_OUTPUT = "MaxS3UploadBytes"
BUCKET_OUTPUT = "FrontendBucketName"
DISTRIBUTION_OUTPUT = "FrontendDistributionId"
FRONTEND_URL_OUTPUT = "FrontendUrl"
# Sign-in (optional: a stack deployed before it has none, and its API needs no token).
USER_POOL_OUTPUT = "UserPoolId"
CLIENT_OUTPUT = "UserPoolClientId"
REGION_OUTPUT = "CognitoRegion"
REQUIRED_OUTPUTS = (API_URL_OUTPUT, WS_URL_OUTPUT, MAX_UPLOAD_OUTPUT)

# Next.js puts content-hashed files under _next/static/: a new build never reuses a name.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
CONFIG_NAME = "config.json"


class MissingOutputs(RuntimeError):
    """The stack lacks outputs this script needs (wrong stack, or not deployed yet)."""


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    """{OutputKey: OutputValue} of a deployed stack."""
    stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}


def frontend_config(outputs: dict[str, str]) -> dict[str, Any]:
    """The run-time config the frontend fetches at /config.json."""
    missing = [key for key in REQUIRED_OUTPUTS if not outputs.get(key)]
    if missing:
        raise MissingOutputs(f"stack outputs missing: {', '.join(missing)}")
    config: dict[str, Any] = {
        "apiUrl": outputs[API_URL_OUTPUT].rstrip("/"),
        "wsUrl": outputs[WS_URL_OUTPUT].rstrip("/"),
        "maxUploadBytes": int(outputs[MAX_UPLOAD_OUTPUT]),
    }
    if outputs.get(MAX_S3_UPLOAD_OUTPUT):
        # Files over maxUploadBytes go through S3 (presigned POST) up to this size.
        config["maxLargeUploadBytes"] = int(outputs[MAX_S3_UPLOAD_OUTPUT])
    config["auth"] = auth_config(outputs)
    return config


def cognito_endpoint(region: str) -> str:
    """Where the browser POSTs Cognito's JSON API (X-Amz-Target: AWSCognitoIdentityProviderService.*)."""
    return f"https://cognito-idp.{region}.amazonaws.com/"


def auth_config(outputs: dict[str, str]) -> dict[str, Any]:
    """The `auth` block: the user pool the page signs in with, or `none` for a stack without one."""
    pool_id, client_id = outputs.get(USER_POOL_OUTPUT), outputs.get(CLIENT_OUTPUT)
    if not (pool_id and client_id):
        return {"mode": "none"}
    # A pool id is "<region>_<id>": the region output, else the pool's own prefix.
    region = outputs.get(REGION_OUTPUT) or pool_id.split("_", 1)[0]
    return {
        "mode": "cognito",
        "region": region,
        "userPoolId": pool_id,
        "clientId": client_id,
        "endpoint": cognito_endpoint(region),
    }


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def cache_control(key: str) -> str:
    return IMMUTABLE if key.startswith("_next/static/") else REVALIDATE


def content_type(key: str) -> str:
    guessed, _ = mimetypes.guess_type(key)
    if key.endswith(".txt"):  # Next.js RSC payloads
        return "text/plain; charset=utf-8"
    if guessed and (guessed.startswith("text/") or guessed in ("application/javascript", "application/json")):
        return f"{guessed}; charset=utf-8"
    return guessed or "application/octet-stream"


def publish(
    build_dir: Path,
    bucket: str,
    s3: Any,
    *,
    cloudfront: Any = None,
    distribution_id: str | None = None,
    delete_stale: bool = True,
) -> dict[str, Any]:
    """Upload a static build: assets first, then pages, config.json last; then clean up.

    The order means a browser never gets a page whose assets are not there yet.
    """
    if not (build_dir / "index.html").is_file():
        raise FileNotFoundError(f"{build_dir} has no index.html; run the frontend build first")
    files = dict(_files(build_dir))
    order = sorted(files, key=lambda k: (not k.startswith("_next/"), k == CONFIG_NAME, k))
    for key in order:
        s3.upload_file(
            str(files[key]),
            bucket,
            key,
            ExtraArgs={"ContentType": content_type(key), "CacheControl": cache_control(key)},
        )
    deleted = []
    if delete_stale:
        paginator = s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket):
            stale = [{"Key": o["Key"]} for o in page.get("Contents", []) if o["Key"] not in files]
            if stale:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": stale, "Quiet": True})
                deleted += [o["Key"] for o in stale]
    invalidation = None
    if cloudfront is not None and distribution_id:
        resp = cloudfront.create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": ["/*"]},  # one path: free up to 1,000 a month
                "CallerReference": f"publish-{time.time_ns()}",
            },
        )
        invalidation = resp["Invalidation"]["Id"]
    log.info("uploaded %d files to s3://%s, deleted %d stale", len(order), bucket, len(deleted))
    return {"uploaded": len(order), "deleted": deleted, "invalidation": invalidation}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the deployed frontend's config.json.")
    parser.add_argument("--stack-name", default="invoice-processing")
    parser.add_argument("--region", help="the stack's region (default: your AWS configuration)")
    parser.add_argument("--out", type=Path, help="where to write config.json (default: <publish dir>)")
    parser.add_argument("--publish", type=Path, metavar="BUILD_DIR", help="upload this static build")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import boto3

    session = boto3.Session(region_name=args.region)
    outputs = stack_outputs(session.client("cloudformation"), args.stack_name)
    config = frontend_config(outputs)
    out = args.out or ((args.publish or Path("frontend/out")) / CONFIG_NAME)
    write_config(config, out)
    log.info("wrote %s: %s", out, json.dumps(config))
    if args.publish:
        if out.resolve() != (args.publish / CONFIG_NAME).resolve():
            log.warning("config.json written outside the published build; the site will not see it")
        publish(
            args.publish,
            outputs[BUCKET_OUTPUT],
            session.client("s3"),
            cloudfront=session.client("cloudfront"),
            distribution_id=outputs.get(DISTRIBUTION_OUTPUT),
        )
        log.info("frontend published: %s", outputs.get(FRONTEND_URL_OUTPUT, "(see FrontendUrl output)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
