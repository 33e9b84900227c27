"""Read the SAM template: the one definition of tables, bucket and function environment.

The local stack and the tests create their DynamoDB tables and S3 bucket from here, so what runs
locally has the keys, indexes, streams and TTL settings that `sam deploy` creates on AWS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "template.yaml"
FUNCTION_ID = "InvoiceFunction"


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags (!Ref, !GetAtt, !Sub…) into their long form."""


def _cfn_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


@lru_cache(maxsize=4)
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_CfnLoader)


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {rid: r for rid, r in template.get("Resources", {}).items() if r.get("Type") == kind}


def function_environment(template: dict[str, Any], function_id: str = FUNCTION_ID) -> dict[str, Any]:
    fn = template["Resources"][function_id]["Properties"]
    env = dict(
        (template.get("Globals", {}).get("Function", {}).get("Environment", {}) or {}).get("Variables", {})
    )
    env.update(((fn.get("Environment") or {}).get("Variables")) or {})
    return env


def env_refs(template: dict[str, Any], function_id: str = FUNCTION_ID) -> dict[str, str]:
    """{ENV_VAR: logical id} for the variables the template sets with `!Ref Resource`."""
    out = {}
    for var, value in function_environment(template, function_id).items():
        if (
            isinstance(value, dict)
            and isinstance(value.get("Ref"), str)
            and value["Ref"] in template["Resources"]
        ):
            out[var] = value["Ref"]
    return out


@dataclass(frozen=True)
class TableSpec:
    logical_id: str
    create_args: dict[str, Any]  # CreateTable arguments, without TableName
    ttl_attribute: str | None
    stream_view: str | None


def table_specs(template: dict[str, Any]) -> dict[str, TableSpec]:
    specs = {}
    for rid, res in resources(template, "AWS::DynamoDB::Table").items():
        props = res["Properties"]
        args: dict[str, Any] = {
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        stream = (props.get("StreamSpecification") or {}).get("StreamViewType")
        if stream:
            args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
        ttl = props.get("TimeToLiveSpecification") or {}
        specs[rid] = TableSpec(
            logical_id=rid,
            create_args=args,
            ttl_attribute=ttl.get("AttributeName") if ttl.get("Enabled") else None,
            stream_view=stream,
        )
    return specs


def create_table(dynamodb: Any, spec: TableSpec, name: str) -> None:
    """Create one table as the template defines it (moto or a real account) and wait for it."""
    dynamodb.create_table(TableName=name, **spec.create_args)
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    if spec.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
        )


def bucket_cors_rules(bucket: dict[str, Any], origins: Sequence[str]) -> list[dict[str, Any]]:
    """A bucket's CORS rules from the template, as PutBucketCors takes them, for these origins.

    The template's origins are the deployed frontend's (a CloudFront domain); locally the rules
    apply to the local frontend's origins instead, everything else as declared.
    """
    rules = []
    for rule in ((bucket.get("Properties") or {}).get("CorsConfiguration") or {}).get("CorsRules", []):
        out: dict[str, Any] = {"AllowedMethods": rule["AllowedMethods"], "AllowedOrigins": list(origins)}
        for cfn_key, api_key in (
            ("Id", "ID"),
            ("AllowedHeaders", "AllowedHeaders"),
            ("ExposedHeaders", "ExposeHeaders"),
            ("MaxAge", "MaxAgeSeconds"),
        ):
            if cfn_key in rule:
                out[api_key] = rule[cfn_key]
        rules.append(out)
    return rules


def provision(
    dynamodb: Any,
    s3: Any,
    names: dict[str, str],
    template: dict[str, Any] | None = None,
    *,
    cors_origins: Sequence[str] = (),
) -> None:
    """Create every table and bucket the function's environment refers to.

    `names` maps the function's environment variables (INVOICES_TABLE, UPLOADS_BUCKET, …) to the
    physical names to use; resources of the template that no variable names are skipped. With
    `cors_origins`, buckets get the template's CORS rules for those origins (moto checks a
    browser's preflight against them, as S3 does).
    """
    template = template or load_template()
    refs = env_refs(template)
    specs = table_specs(template)
    buckets = resources(template, "AWS::S3::Bucket")
    for var, logical_id in refs.items():
        if var not in names:
            continue
        if logical_id in specs:
            create_table(dynamodb, specs[logical_id], names[var])
        elif logical_id in buckets:
            s3.create_bucket(Bucket=names[var])
            rules = bucket_cors_rules(buckets[logical_id], cors_origins) if cors_origins else []
            if rules:
                s3.put_bucket_cors(Bucket=names[var], CORSConfiguration={"CORSRules": rules})


# -- sign-in: the user pool, its client and groups, and the $connect authorizer -----------------

# CreateUserPool / CreateUserPoolClient take these CloudFormation properties under the same names
# (the rest are CloudFormation-only, or name other resources: a role, a Lambda trigger, a domain).
_POOL_PROPERTIES = (
    "UsernameAttributes",
    "UsernameConfiguration",
    "AutoVerifiedAttributes",
    "AdminCreateUserConfig",
    "Policies",
    "AccountRecoverySetting",
    "MfaConfiguration",
    "Schema",
)
_CLIENT_PROPERTIES = (
    "ClientName",
    "GenerateSecret",
    "ExplicitAuthFlows",
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
)


@dataclass(frozen=True)
class UserPoolSpec:
    logical_id: str
    create_args: dict[str, Any]  # CreateUserPool arguments, without PoolName
    client_args: dict[str, Any]  # CreateUserPoolClient arguments, without UserPoolId
    groups: tuple[dict[str, Any], ...]  # CreateGroup arguments, without UserPoolId


def _literal(value: Any) -> bool:
    """True for a value without intrinsic functions (what can be sent to an API as it is)."""
    if isinstance(value, dict):
        return not any(k == "Ref" or k.startswith("Fn::") for k in value) and all(
            _literal(v) for v in value.values()
        )
    if isinstance(value, list):
        return all(_literal(v) for v in value)
    return True


def _copy_literals(props: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: props[k] for k in keys if k in props and _literal(props[k])}


def user_pool_spec(template: dict[str, Any], env_var: str = "COGNITO_USER_POOL_ID") -> UserPoolSpec | None:
    """The pool the function's `COGNITO_USER_POOL_ID` names, with its client and groups."""
    refs = env_refs(template)
    pool_id = refs.get(env_var)
    if pool_id is None:
        return None
    pool = template["Resources"][pool_id].get("Properties", {})
    client_id = refs.get("COGNITO_CLIENT_ID")
    client = template["Resources"][client_id]["Properties"] if client_id else {}
    if client.get("UserPoolId") != {"Ref": pool_id}:
        raise ValueError(f"COGNITO_CLIENT_ID must name a client of {pool_id}")
    groups = tuple(
        _copy_literals(r["Properties"], ("GroupName", "Description", "Precedence"))
        for r in resources(template, "AWS::Cognito::UserPoolGroup").values()
        if r["Properties"].get("UserPoolId") == {"Ref": pool_id}
    )
    return UserPoolSpec(
        logical_id=pool_id,
        create_args=_copy_literals(pool, _POOL_PROPERTIES),
        client_args=_copy_literals(client, _CLIENT_PROPERTIES),
        groups=groups,
    )


@dataclass(frozen=True)
class AuthorizerSpec:
    logical_id: str
    authorizer_type: str  # REQUEST
    identity_sources: tuple[str, ...]  # e.g. route.request.querystring.token
    function_id: str  # the function its AuthorizerUri invokes


_FUNCTION_IN_URI = re.compile(r"/functions/\$\{(\w+)\.Arn\}/invocations$")


def connect_authorizer(template: dict[str, Any]) -> AuthorizerSpec | None:
    """The authorizer of the WebSocket API's `$connect` route, or None when it has none."""
    for route in resources(template, "AWS::ApiGatewayV2::Route").values():
        props = route["Properties"]
        if props.get("RouteKey") != "$connect" or props.get("AuthorizationType", "NONE") == "NONE":
            continue
        if props["AuthorizationType"] != "CUSTOM":
            raise ValueError(f"$connect authorization {props['AuthorizationType']} is not emulated")
        logical_id = props["AuthorizerId"]["Ref"]
        authorizer = template["Resources"][logical_id]["Properties"]
        uri = authorizer["AuthorizerUri"]
        text = uri["Fn::Sub"] if isinstance(uri, dict) else str(uri)
        match = _FUNCTION_IN_URI.search(text if isinstance(text, str) else text[0])
        if match is None:
            raise ValueError(f"{logical_id}: cannot tell which function AuthorizerUri invokes")
        return AuthorizerSpec(
            logical_id=logical_id,
            authorizer_type=authorizer["AuthorizerType"],
            identity_sources=tuple(authorizer.get("IdentitySource") or ()),
            function_id=match.group(1),
        )
    return None
