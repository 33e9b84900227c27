"""The SAM template's wiring, read with CloudFormation tags (no AWS account needed).

GIVEN infra/template.yaml WHEN it is parsed (and, where SAM matters, transformed the way
CloudFormation does on deploy) THEN routes, permissions, tables, the stream mapping, IAM and the
function's environment are what the backend and the limits of the real services need.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from botocore.session import get_session

from invoice_app.core.settings import ConfigError, Settings
from tests.helpers.events import load_event
from tests.infra import cfn

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend"
FUNCTION = "InvoiceFunction"
# Read by the backend but not set on AWS: boto3's own override, for the local stack only.
# COGNITO_JWKS_URL: the keys of the local stack's embedded Cognito; on AWS the function derives
# the pool's public HTTPS JWKS URL from COGNITO_USER_POOL_ID.
# TESSDATA_PREFIX: where local Tesseract models are (Lambda reads with Textract).
LOCAL_ONLY_VARS = {"AWS_ENDPOINT_URL", "COGNITO_JWKS_URL", "TESSDATA_PREFIX"}
# Set by the Lambda runtime itself; a function may not define them.
LAMBDA_RESERVED = {"AWS_REGION", "AWS_DEFAULT_REGION"}


@pytest.fixture(scope="module")
def tpl() -> dict[str, Any]:
    return cfn.template()


@pytest.fixture(scope="module")
def stream_mode(tpl: dict[str, Any]) -> dict[str, Any]:
    return cfn.effective(tpl, BroadcastMode="stream")


def resources_of(tpl: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {rid: r for rid, r in tpl["Resources"].items() if r["Type"] == kind}


def props(tpl: dict[str, Any], rid: str) -> dict[str, Any]:
    return tpl["Resources"][rid]["Properties"]


# -- the function ----------------------------------------------------------------------------


def test_function_is_the_backend_entrypoint_on_a_current_python(tpl: dict[str, Any]) -> None:
    fn = props(tpl, FUNCTION)
    assert tpl["Resources"][FUNCTION]["Type"] == "AWS::Serverless::Function"
    assert fn["Handler"] == "app.lambda_handler"
    assert (ROOT / "infra" / fn["CodeUri"] / "app.py").resolve() == (BACKEND / "app.py").resolve()
    assert fn["Runtime"] in ("python3.12", "python3.13")
    assert 512 <= fn["MemorySize"] <= 3008
    # The HTTP API gives up after 30 s; the function must end first to answer with its own error.
    assert fn["Timeout"] < 30
    assert fn["LoggingConfig"]["LogFormat"] == "JSON"
    assert fn["Environment"]["Variables"]["OCR_ENGINE"] == "textract"


def test_tracing_follows_the_parameter(tpl: dict[str, Any]) -> None:
    on = cfn.effective(tpl, EnableTracing="true")
    off = cfn.effective(tpl, EnableTracing="false")
    assert props(on, FUNCTION)["Tracing"] == "Active"
    assert props(off, FUNCTION)["Tracing"] == "PassThrough"
    assert any("xray:PutTraceSegments" in cfn.as_list(s["Action"]) for s in cfn.role_statements(on))
    assert not any("xray:PutTraceSegments" in cfn.as_list(s["Action"]) for s in cfn.role_statements(off))


class _RecordingEnv(Mapping[str, str]):
    """An empty environment that remembers every name it is asked for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def backend_env_vars() -> set[str]:
    """Every variable the backend reads: via Settings.from_env, plus any direct os.environ read."""
    env = _RecordingEnv()
    with contextlib.suppress(ConfigError):  # an empty environment fails the validation, after the reads
        Settings.from_env(env)
    names = set(env.asked)
    direct = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["']([A-Z][A-Z0-9_]*)["']""")
    for path in BACKEND.rglob("*.py"):
        names |= set(direct.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_variable_the_backend_reads_is_set(tpl: dict[str, Any]) -> None:
    wanted = backend_env_vars() - LOCAL_ONLY_VARS - LAMBDA_RESERVED
    # GIVEN the scan found what config.py reads (guards against a scan that finds nothing)
    assert {"CONNECTIONS_TABLE", "WS_ENDPOINT", "CORS_ORIGINS", "METRICS_RETENTION_SECONDS"} <= wanted
    env = props(tpl, FUNCTION)["Environment"]["Variables"]
    assert sorted(wanted - set(env)) == []
    assert not LAMBDA_RESERVED & set(env)
    assert "AWS_ENDPOINT_URL" not in env  # would send the deployed function to a local endpoint
    for name, value in env.items():  # Lambda wants strings: literals quoted, the rest intrinsic
        assert isinstance(value, str | dict), name


def test_the_deployed_configuration_is_valid(tpl: dict[str, Any]) -> None:
    """The values the template sets pass the backend's own validation (no ConfigError on AWS)."""
    params = cfn.parameter_values(tpl)
    for overrides in ({}, {"BroadcastMode": "inline", "CorsOrigins": "http://localhost:3000"}):
        eff = cfn.effective(tpl, **overrides)
        env = cfn.substitute(
            props(eff, FUNCTION)["Environment"]["Variables"],
            {**params, **overrides},
            {"UserPool": "eu-central-1_AbC123", "UserPoolClient": "client123"},
        )
        settings = Settings.from_env({k: str(v) for k, v in env.items()})
        assert settings.ocr_engine == "textract"
        assert settings.auth_mode == "cognito" and settings.cognito_client_ids == ("client123",)
        assert settings.broadcast_mode == overrides.get("BroadcastMode", "stream")
        assert settings.max_upload_bytes == int(params["MaxUploadBytes"])
        assert settings.max_s3_upload_bytes == int(params["MaxS3UploadBytes"])
        assert settings.broadcast_retry_attempts >= 2 and settings.broadcast_retry_cap_ms >= 100
    # the S3 path takes over where the direct one ends, whatever the direct limit is set to
    limits = tpl["Parameters"]
    assert limits["MaxS3UploadBytes"]["Default"] > limits["MaxUploadBytes"]["MaxValue"]


def test_local_stack_mapping_refs_are_kept(tpl: dict[str, Any]) -> None:
    """devstack.template maps variables to resources through these !Refs (one source of truth)."""
    from devstack.template import env_refs

    assert env_refs(tpl) == {
        "INVOICES_TABLE": "InvoicesTable",
        "HISTORY_TABLE": "HistoryTable",
        "METRICS_TABLE": "MetricsTable",
        "CONNECTIONS_TABLE": "ConnectionsTable",
        "IDEMPOTENCY_TABLE": "IdempotencyTable",
        "TOPICS_TABLE": "TopicsTable",
        "VISUALIZATIONS_TABLE": "VisualizationsTable",
        "UPLOADS_BUCKET": "UploadsBucket",
        "COGNITO_USER_POOL_ID": "UserPool",
        "COGNITO_CLIENT_ID": "UserPoolClient",
        "BROADCAST_QUEUE_URL": "BroadcastQueue",  # devstack/queues.py creates it
    }


def test_ws_endpoint_is_the_stage_url(tpl: dict[str, Any]) -> None:
    params = cfn.parameter_values(tpl)
    env = props(tpl, FUNCTION)["Environment"]["Variables"]
    url = cfn.substitute(env["WS_ENDPOINT"], params, {"WsApi": "abc123"})
    stage = cfn.substitute(props(tpl, "WsStage")["StageName"], params)
    assert url == f"wss://abc123.execute-api.{cfn.PSEUDO['AWS::Region']}.amazonaws.com/{stage}"
    output = cfn.substitute(tpl["Outputs"]["WebSocketUrl"]["Value"], params, {"WsApi": "abc123"})
    assert output == url


def test_cors_origins_reach_the_function_and_the_api(tpl: dict[str, Any]) -> None:
    params = cfn.parameter_values(tpl, CorsOrigins="http://localhost:3000,https://app.example.com")
    eff = cfn.effective(tpl, CorsOrigins=params["CorsOrigins"])
    attrs = {"FrontendDistribution.DomainName": "d111.cloudfront.net"}
    env = cfn.substitute(props(eff, FUNCTION)["Environment"]["Variables"], params, attrs)
    expected = ["https://d111.cloudfront.net", "http://localhost:3000", "https://app.example.com"]
    assert env["CORS_ORIGINS"].split(",") == expected
    cors = cfn.substitute(props(eff, "HttpApi")["CorsConfiguration"], params, attrs)
    assert cors["AllowOrigins"] == expected
    assert {"GET", "POST", "PATCH"} <= set(cors["AllowMethods"])  # PATCH: corrections

    default = cfn.effective(tpl)
    env = cfn.substitute(
        props(default, FUNCTION)["Environment"]["Variables"], cfn.parameter_values(tpl), attrs
    )
    assert env["CORS_ORIGINS"] == "https://d111.cloudfront.net"


# -- HTTP API ---------------------------------------------------------------------------------


def test_http_api_sends_every_request_to_the_function(tpl: dict[str, Any]) -> None:
    assert tpl["Resources"]["HttpApi"]["Type"] == "AWS::Serverless::HttpApi"
    events = props(tpl, FUNCTION)["Events"]
    http = [e for e in events.values() if e["Type"] == "HttpApi"]
    assert len(http) == 1
    assert http[0]["Properties"]["ApiId"] == {"Ref": "HttpApi"}
    # No Path/Method: the $default route, so Flask sees every path (/receive, /api/...).
    assert "Path" not in http[0]["Properties"]
    assert "Method" not in http[0]["Properties"]
    assert http[0]["Properties"].get("PayloadFormatVersion", "2.0") == "2.0"
    assert http[0]["Properties"]["TimeoutInMillis"] <= 30000


def test_sam_transform_builds_the_http_api_with_cors(tpl: dict[str, Any]) -> None:
    out = cfn.sam_transform(tpl, CorsOrigins="http://localhost:3000")
    api = resources_of(out, "AWS::ApiGatewayV2::Api")["HttpApi"]["Properties"]["Body"]
    route = api["paths"]["$default"]["x-amazon-apigateway-any-method"]
    assert "${InvoiceFunction.Arn}" in route["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
    with_extra = api["x-amazon-apigateway-cors"]["Fn::If"][1]
    origins = cfn.substitute(with_extra["allowOrigins"], {}, {"FrontendDistribution.DomainName": "d1.net"})
    assert origins == ["https://d1.net", "http://localhost:3000"]
    perms = resources_of(out, "AWS::Lambda::Permission")
    http_perm = [p for p in perms.values() if "HttpApi" in cfn.references(p["Properties"]["SourceArn"])]
    assert len(http_perm) == 1
    # The explicit role stays the only one: SAM adds no role and no managed (wildcard) policies.
    roles = resources_of(out, "AWS::IAM::Role")
    assert list(roles) == ["InvoiceFunctionRole"]
    assert "ManagedPolicyArns" not in roles["InvoiceFunctionRole"]["Properties"]


@pytest.mark.parametrize("mode", ["stream", "inline"])
def test_sam_transformed_template_passes_cfn_lint(tpl: dict[str, Any], mode: str) -> None:
    """cfn-lint on the CloudFormation that the SAM transform produces (make lint checks the source)."""
    from cfnlint.api import lint

    out = cfn.sam_transform(tpl, BroadcastMode=mode, EnableTracing="true", AdminEmail="boss@example.com")
    problems = lint(json.dumps(out), regions=["us-east-1", "eu-central-1"])
    assert [str(p) for p in problems] == []


def test_no_dependency_cycle(tpl: dict[str, Any]) -> None:
    for mode in ("stream", "inline"):
        out = cfn.sam_transform(cfn.effective(tpl, BroadcastMode=mode))
        assert cfn.find_cycle(cfn.dependencies(out)) is None


def test_cycle_finder_finds_a_cycle() -> None:
    assert cfn.find_cycle({"A": {"B"}, "B": {"C"}, "C": {"A"}}) == ["A", "B", "C", "A"]


# -- WebSocket API ----------------------------------------------------------------------------


def test_websocket_routes_go_to_the_same_function(tpl: dict[str, Any]) -> None:
    (api_id, api), *more = resources_of(tpl, "AWS::ApiGatewayV2::Api").items()
    assert not more
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"

    routes = resources_of(tpl, "AWS::ApiGatewayV2::Route")
    assert {r["Properties"]["RouteKey"] for r in routes.values()} == {"$connect", "$disconnect", "$default"}
    integrations = resources_of(tpl, "AWS::ApiGatewayV2::Integration")
    for route in routes.values():
        assert route["Properties"]["ApiId"] == {"Ref": api_id}
        target = cfn.substitute(route["Properties"]["Target"], {})
        integration_id = re.fullmatch(r"integrations/<(\w+)>", target).group(1)
        integration = integrations[integration_id]["Properties"]
        assert integration["IntegrationType"] == "AWS_PROXY"
        assert integration["ApiId"] == {"Ref": api_id}
        uri = cfn.substitute(integration["IntegrationUri"], {})
        assert uri.endswith(f"/functions/<{FUNCTION}.Arn>/invocations")
        assert ":apigateway:" in uri
        assert ":lambda:path/2015-03-31/" in uri


def ws_permissions(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{logical id: properties} of the Lambda permissions granted to the WebSocket API."""
    return {
        rid: p["Properties"]
        for rid, p in resources_of(tpl, "AWS::Lambda::Permission").items()
        if "WsApi" in cfn.references(p["Properties"].get("SourceArn"))
    }


def test_websocket_api_may_invoke_the_function(tpl: dict[str, Any]) -> None:
    perms = [p for p in ws_permissions(tpl).values() if "/authorizers/" not in p["SourceArn"]["Fn::Sub"]]
    assert len(perms) == 1
    perm = perms[0]
    assert perm["Action"] == "lambda:InvokeFunction"
    assert perm["Principal"] == "apigateway.amazonaws.com"
    assert perm["FunctionName"] == {"Ref": FUNCTION}
    arn = cfn.substitute(perm["SourceArn"], cfn.parameter_values(tpl), {"WsApi": "ws1"})
    assert arn == "arn:aws:execute-api:eu-central-1:123456789012:ws1/prod/*"


def test_websocket_deployment_and_stage(tpl: dict[str, Any]) -> None:
    deployment = tpl["Resources"]["WsDeployment"]
    assert set(deployment["DependsOn"]) == set(resources_of(tpl, "AWS::ApiGatewayV2::Route"))
    stage = props(tpl, "WsStage")
    assert stage["DeploymentId"] == {"Ref": "WsDeployment"}
    assert stage["StageName"] == {"Ref": "WsStageName"}
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"]
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"]


# -- sign-in ----------------------------------------------------------------------------------


def test_user_pool_signs_in_by_e_mail_and_only_admins_create_users(tpl: dict[str, Any]) -> None:
    (pool_id,) = resources_of(tpl, "AWS::Cognito::UserPool")
    pool = props(tpl, pool_id)
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    assert policy["RequireLowercase"] and policy["RequireUppercase"] and policy["RequireNumbers"]
    assert 1 <= policy["TemporaryPasswordValidityDays"] <= 7
    assert {"Name": "verified_email", "Priority": 1} in pool["AccountRecoverySetting"]["RecoveryMechanisms"]
    # users are records of who did what to the (retained) invoices
    assert tpl["Resources"][pool_id]["DeletionPolicy"] == "Retain"
    assert tpl["Resources"][pool_id]["UpdateReplacePolicy"] == "Retain"


def test_the_browser_client_is_public_with_the_agreed_flows_and_lifetimes(tpl: dict[str, Any]) -> None:
    (client,) = resources_of(tpl, "AWS::Cognito::UserPoolClient").values()
    p = client["Properties"]
    assert p["UserPoolId"] == {"Ref": "UserPool"}
    assert p["GenerateSecret"] is False  # a browser cannot keep a secret
    assert set(p["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    units = p["TokenValidityUnits"]
    assert (p["IdTokenValidity"], units["IdToken"]) == (60, "minutes")
    assert (p["AccessTokenValidity"], units["AccessToken"]) == (60, "minutes")
    assert (p["RefreshTokenValidity"], units["RefreshToken"]) == (30, "days")
    assert p["PreventUserExistenceErrors"] == "ENABLED"


def test_the_three_roles_are_groups_of_the_pool(tpl: dict[str, Any]) -> None:
    groups = {rid: r["Properties"] for rid, r in resources_of(tpl, "AWS::Cognito::UserPoolGroup").items()}
    assert {rid: g["GroupName"] for rid, g in groups.items()} == {
        "ViewerGroup": "viewer",
        "ReviewerGroup": "reviewer",
        "AdminGroup": "admin",
    }
    assert all(g["UserPoolId"] == {"Ref": "UserPool"} for g in groups.values())
    # the higher role wins where Cognito picks one group (lower precedence number)
    assert groups["AdminGroup"]["Precedence"] < groups["ReviewerGroup"]["Precedence"]
    assert groups["ReviewerGroup"]["Precedence"] < groups["ViewerGroup"]["Precedence"]


def test_the_first_admin_exists_only_with_an_admin_email(tpl: dict[str, Any]) -> None:
    assert tpl["Parameters"]["AdminEmail"]["Default"] == ""
    without = cfn.effective(tpl)
    assert resources_of(without, "AWS::Cognito::UserPoolUser") == {}
    assert resources_of(without, "AWS::Cognito::UserPoolUserToGroupAttachment") == {}

    with_admin = cfn.effective(tpl, AdminEmail="boss@example.com")
    params = cfn.parameter_values(tpl, AdminEmail="boss@example.com")
    (user,) = resources_of(with_admin, "AWS::Cognito::UserPoolUser").values()
    user_props = cfn.substitute(user["Properties"], params)
    assert user_props["UserPoolId"] == "<UserPool>"
    assert user_props["Username"] == "boss@example.com"
    assert user_props["DesiredDeliveryMediums"] == ["EMAIL"]  # Cognito mails the temporary password
    assert {"Name": "email", "Value": "boss@example.com"} in user_props["UserAttributes"]
    (attachment,) = resources_of(with_admin, "AWS::Cognito::UserPoolUserToGroupAttachment").values()
    attach = cfn.substitute(attachment["Properties"], params, {"AdminGroup": "admin"})
    assert attach == {"UserPoolId": "<UserPool>", "GroupName": "admin", "Username": "boss@example.com"}
    assert attachment["DependsOn"] == "AdminUser"


@pytest.mark.parametrize("address", ["boss@example.com", "a.b+c@sub.example.org"])
def test_admin_email_pattern_accepts_addresses(tpl: dict[str, Any], address: str) -> None:
    pattern = tpl["Parameters"]["AdminEmail"]["AllowedPattern"]
    assert re.fullmatch(pattern, address)
    assert re.fullmatch(pattern, "")
    assert not re.fullmatch(pattern, "not an address")


def test_the_function_checks_tokens_of_this_pool_and_client(tpl: dict[str, Any]) -> None:
    env = props(tpl, FUNCTION)["Environment"]["Variables"]
    assert env["AUTH_MODE"] == "cognito"
    assert env["COGNITO_USER_POOL_ID"] == {"Ref": "UserPool"}
    assert env["COGNITO_CLIENT_ID"] == {"Ref": "UserPoolClient"}
    assert "COGNITO_JWKS_URL" not in env  # on AWS: the pool's own public HTTPS JWKS


def test_the_function_verifies_tokens_without_any_cognito_permission(tpl: dict[str, Any]) -> None:
    """The JWKS is public HTTPS; the role gets no cognito-idp action, and the code makes no call."""
    actions = {a for st in all_statements(tpl) for a in cfn.as_list(st["Action"])}
    assert not {a for a in actions if a.lower().startswith(("cognito-idp:", "cognito-identity:"))}
    assert operations_used("cognito-idp") == set()
    assert not re.search(r"""client\(\s*["']cognito-idp["']""", backend_source())


def test_the_websocket_connect_route_uses_the_request_authorizer(tpl: dict[str, Any]) -> None:
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in resources_of(tpl, "AWS::ApiGatewayV2::Route").values()
    }
    connect = routes["$connect"]
    assert connect["AuthorizationType"] == "CUSTOM"
    authorizer_id = connect["AuthorizerId"]["Ref"]
    # only $connect may have an authorizer on a WebSocket API
    assert all(r["AuthorizationType"] == "NONE" for k, r in routes.items() if k != "$connect")

    authorizer = props(tpl, authorizer_id)
    assert tpl["Resources"][authorizer_id]["Type"] == "AWS::ApiGatewayV2::Authorizer"
    assert authorizer["ApiId"] == {"Ref": "WsApi"}
    assert authorizer["AuthorizerType"] == "REQUEST"
    assert authorizer["IdentitySource"] == ["route.request.querystring.token"]
    # the same function as every route's integration
    (integration,) = resources_of(tpl, "AWS::ApiGatewayV2::Integration").values()
    uri = cfn.substitute(authorizer["AuthorizerUri"], {})
    assert uri == cfn.substitute(integration["Properties"]["IntegrationUri"], {})
    assert uri.endswith(f"/functions/<{FUNCTION}.Arn>/invocations")


def test_api_gateway_may_invoke_the_function_as_the_authorizer(tpl: dict[str, Any]) -> None:
    perms = [p for p in ws_permissions(tpl).values() if "/authorizers/" in p["SourceArn"]["Fn::Sub"]]
    assert len(perms) == 1
    (perm,) = perms
    assert perm["Action"] == "lambda:InvokeFunction"
    assert perm["Principal"] == "apigateway.amazonaws.com"
    assert perm["FunctionName"] == {"Ref": FUNCTION}
    arn = cfn.substitute(perm["SourceArn"], cfn.parameter_values(tpl), {"WsApi": "ws1"})
    assert arn == "arn:aws:execute-api:eu-central-1:123456789012:ws1/authorizers/*"


def test_browsers_may_send_the_token_to_the_http_api(tpl: dict[str, Any]) -> None:
    for extra in ("", "http://localhost:3000"):
        cors = props(cfn.effective(tpl, CorsOrigins=extra), "HttpApi")["CorsConfiguration"]
        assert {"authorization", "if-match", "idempotency-key"} <= {h.lower() for h in cors["AllowHeaders"]}


def test_sam_transform_keeps_the_sign_in_resources(tpl: dict[str, Any]) -> None:
    out = cfn.sam_transform(tpl, AdminEmail="boss@example.com")
    kinds = {r["Type"] for r in out["Resources"].values()}
    assert {
        "AWS::Cognito::UserPool",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::UserPoolUser",
        "AWS::Cognito::UserPoolUserToGroupAttachment",
        "AWS::ApiGatewayV2::Authorizer",
    } <= kinds
    env = out["Resources"][FUNCTION]["Properties"]["Environment"]["Variables"]
    assert env["COGNITO_USER_POOL_ID"] == {"Ref": "UserPool"}


# -- data -------------------------------------------------------------------------------------


def key_schema(tpl: dict[str, Any], rid: str) -> list[tuple[str, str]]:
    return [(k["AttributeName"], k["KeyType"]) for k in props(tpl, rid)["KeySchema"]]


def test_tables(tpl: dict[str, Any]) -> None:
    tables = resources_of(tpl, "AWS::DynamoDB::Table")
    assert set(tables) == {
        "InvoicesTable",
        "HistoryTable",
        "MetricsTable",
        "ConnectionsTable",
        "IdempotencyTable",
        "TopicsTable",
        "VisualizationsTable",
    }
    for rid in tables:
        assert props(tpl, rid)["BillingMode"] == "PAY_PER_REQUEST"
        assert "TableName" not in props(tpl, rid)  # generated: several stacks per account

    assert key_schema(tpl, "InvoicesTable") == [("invoiceId", "HASH")]
    gsi, by_day = props(tpl, "InvoicesTable")["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "byCreatedAt"
    assert [(k["AttributeName"], k["KeyType"]) for k in gsi["KeySchema"]] == [
        ("listKey", "HASH"),
        ("createdAt", "RANGE"),
    ]
    # Analytics read one UTC day at a time, and only the numbers the charts use (not the text).
    assert by_day["IndexName"] == "byDay"
    assert [(k["AttributeName"], k["KeyType"]) for k in by_day["KeySchema"]] == [
        ("createdDay", "HASH"),
        ("createdAt", "RANGE"),
    ]
    assert by_day["Projection"]["ProjectionType"] == "INCLUDE"
    assert "detectedText" not in by_day["Projection"]["NonKeyAttributes"]
    assert props(tpl, "InvoicesTable")["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
    assert tpl["Resources"]["InvoicesTable"]["DeletionPolicy"] == "Retain"

    assert key_schema(tpl, "HistoryTable") == [("invoiceId", "HASH"), ("changeId", "RANGE")]
    indexes = {g["IndexName"]: g["KeySchema"] for g in props(tpl, "HistoryTable")["GlobalSecondaryIndexes"]}
    assert {name: [k["AttributeName"] for k in keys] for name, keys in indexes.items()} == {
        "byField": ["field", "at"],
        "byUser": ["userId", "at"],
    }
    assert tpl["Resources"]["HistoryTable"]["DeletionPolicy"] == "Retain"

    assert key_schema(tpl, "MetricsTable") == [("invoiceId", "HASH"), ("timestamp", "RANGE")]
    assert props(tpl, "MetricsTable")["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert props(tpl, "MetricsTable")["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}

    assert key_schema(tpl, "TopicsTable") == [("topic", "HASH"), ("connectionId", "RANGE")]
    (by_connection,) = props(tpl, "TopicsTable")["GlobalSecondaryIndexes"]
    assert by_connection["IndexName"] == "byConnection"
    assert [k["AttributeName"] for k in by_connection["KeySchema"]] == ["connectionId", "topic"]
    assert props(tpl, "TopicsTable")["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}

    assert key_schema(tpl, "ConnectionsTable") == [("connectionId", "HASH")]
    assert props(tpl, "ConnectionsTable")["TimeToLiveSpecification"] == {
        "AttributeName": "ttl",
        "Enabled": True,
    }

    # Visualizations and their parameter history share a partition; byShared is sparse.
    assert key_schema(tpl, "VisualizationsTable") == [("pk", "HASH"), ("sk", "RANGE")]
    indexes = {
        g["IndexName"]: g["KeySchema"] for g in props(tpl, "VisualizationsTable")["GlobalSecondaryIndexes"]
    }
    assert {name: [k["AttributeName"] for k in keys] for name, keys in indexes.items()} == {
        "byOwner": ["ownerId", "createdAt"],
        "byShared": ["sharedKey", "createdAt"],
    }

    # Idempotency keys: one record per (caller, key), forgotten through TTL.
    assert key_schema(tpl, "IdempotencyTable") == [("pk", "HASH")]
    assert props(tpl, "IdempotencyTable")["TimeToLiveSpecification"] == {
        "AttributeName": "expires",
        "Enabled": True,
    }


# -- the stream mapping -----------------------------------------------------------------------


def mappings_of(tpl: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
    return {
        rid: esm
        for rid, esm in resources_of(tpl, "AWS::Lambda::EventSourceMapping").items()
        if esm["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [table, "StreamArn"]}
    }


def test_stream_mapping_only_in_stream_mode(tpl: dict[str, Any]) -> None:
    stream = mappings_of(cfn.effective(tpl, BroadcastMode="stream"), "MetricsTable")
    inline = mappings_of(cfn.effective(tpl, BroadcastMode="inline"), "MetricsTable")
    assert len(stream) == 1
    assert inline == {}


def test_the_invoices_stream_is_mapped_in_both_modes(tpl: dict[str, Any]) -> None:
    assert props(tpl, "InvoicesTable")["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    for mode in ("stream", "inline"):
        effective = cfn.effective(tpl, BroadcastMode=mode)
        # The metrics stream (stream mode only), the invoices stream, the broadcast queue.
        assert len(resources_of(effective, "AWS::Lambda::EventSourceMapping")) == (
            3 if mode == "stream" else 2
        )
        (esm,) = mappings_of(effective, "InvoicesTable").values()
        _check_mapping(effective, esm["Properties"])


def _check_mapping(tpl: dict[str, Any], p: dict[str, Any]) -> None:
    assert p["FunctionName"] == {"Ref": FUNCTION}
    assert 1 <= p["BatchSize"] <= 1000
    assert 0 < p["MaximumBatchingWindowInSeconds"] <= 5
    assert p["BisectBatchOnFunctionError"] is True
    assert 0 <= p["MaximumRetryAttempts"] <= 10  # bounded (-1 would retry until the record expires)
    assert 60 <= p["MaximumRecordAgeInSeconds"] <= 3600
    assert p["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    destination = p["DestinationConfig"]["OnFailure"]["Destination"]
    queue = destination["Fn::GetAtt"][0]
    assert tpl["Resources"][queue]["Type"] == "AWS::SQS::Queue"
    assert destination == {"Fn::GetAtt": [queue, "Arn"]}


def test_stream_mapping_settings(stream_mode: dict[str, Any]) -> None:
    (esm,) = mappings_of(stream_mode, "MetricsTable").values()
    _check_mapping(stream_mode, esm["Properties"])


def test_invoices_filter_passes_only_corrections(tpl: dict[str, Any]) -> None:
    (esm,) = mappings_of(tpl, "InvoicesTable").values()
    records = load_event("dynamodb_stream_invoice_corrections")["Records"]
    passed = [r["dynamodb"]["NewImage"]["version"]["N"] for r in records if passes_filters(esm, r)]
    assert {r["eventName"] for r in records} == {"INSERT", "MODIFY"}  # GIVEN uploads and corrections
    assert passed == ["2", "3", "2"]  # the corrections only


def matches(pattern: Any, value: Any) -> bool:
    """Lambda's event-filter semantics for the operators the template uses (values, exists)."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        return all(matches(sub, value.get(key, _MISSING)) for key, sub in pattern.items())
    assert isinstance(pattern, list), pattern
    for rule in pattern:
        if isinstance(rule, dict) and "exists" in rule:
            present = value is not _MISSING and not isinstance(value, dict | list)
            if present == rule["exists"]:
                return True
        elif value is not _MISSING and value == rule:
            return True
    return False


_MISSING = object()


def passes_filters(esm: dict[str, Any], record: dict[str, Any]) -> bool:
    filters = esm["Properties"]["FilterCriteria"]["Filters"]
    return any(matches(json.loads(f["Pattern"]), record) for f in filters)


def test_stream_filter_passes_only_per_invoice_metric_inserts(stream_mode: dict[str, Any]) -> None:
    (esm,) = mappings_of(stream_mode, "MetricsTable").values()
    records = load_event("dynamodb_stream_metric_inserts")["Records"]
    records += load_event("dynamodb_stream_rollups_only")["Records"]
    passed = [r for r in records if passes_filters(esm, r)]
    expected = [
        r
        for r in records
        if r["eventName"] == "INSERT" and not r["dynamodb"]["Keys"]["invoiceId"]["S"].startswith("rollup#")
    ]
    assert len(expected) >= 2  # GIVEN recordings that hold metric inserts…
    assert len(records) > len(expected)  # …and rollup inserts/updates and TTL removals
    assert passed == expected


def test_filter_matcher_can_reject() -> None:
    pattern = {"dynamodb": {"NewImage": {"latency": {"N": [{"exists": True}]}}}}
    assert matches(pattern, {"dynamodb": {"NewImage": {"latency": {"N": "1"}}}})
    assert not matches(pattern, {"dynamodb": {"NewImage": {"count": {"N": "1"}}}})
    assert not matches(pattern, {"dynamodb": {"Keys": {}}})
    assert not matches({"eventName": ["INSERT"]}, {"eventName": "MODIFY"})


# -- IAM --------------------------------------------------------------------------------------

ALLOWED_STAR = {
    frozenset({"textract:AnalyzeExpense", "textract:DetectDocumentText"}),
    frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}),
}


def all_statements(tpl: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for overrides in ({"BroadcastMode": "stream", "EnableTracing": "true"}, {"BroadcastMode": "inline"}):
        out += list(cfn.role_statements(cfn.effective(tpl, **overrides)))
    return out


def test_no_wildcard_resources_beyond_the_resource_less_actions(tpl: dict[str, Any]) -> None:
    statements = all_statements(tpl)
    assert statements
    starred = set()
    for st in statements:
        assert st["Effect"] == "Allow"
        actions = cfn.as_list(st["Action"])
        assert all("*" not in a for a in actions), actions
        for resource in cfn.as_list(st["Resource"]):
            if resource == "*":
                assert frozenset(actions) in ALLOWED_STAR, st
                starred.add(frozenset(actions))
                continue
            # Every other resource is (a path under) a resource of this template.
            named = cfn.references(resource) & set(tpl["Resources"])
            assert named, f"{st.get('Sid')}: {resource} names no resource of this stack"
            text = cfn.substitute(resource, cfn.parameter_values(tpl))
            assert not re.search(r":\*|\*:|/\*/", text), text
    assert starred == ALLOWED_STAR


def manage_connections_verbs(source: str) -> set[str]:
    """HTTP verbs sent to @connections: boto3 calls, or the lean sender's `_request("VERB", …)`."""
    verbs = {"post_to_connection": "POST", "get_connection": "GET", "delete_connection": "DELETE"}
    used = {verb for op, verb in verbs.items() if re.search(rf"\.{op}\(", source)}
    return used | set(re.findall(r"\._request\(\s*\"(GET|POST|DELETE)\"", source))


def test_manage_connections_only_on_this_stage_and_the_verbs_used(tpl: dict[str, Any]) -> None:
    (st,) = [s for s in all_statements(tpl) if s["Action"] == "execute-api:ManageConnections"][:1]
    arns = [
        cfn.substitute(r, cfn.parameter_values(tpl), {"WsApi": "ws1"}) for r in cfn.as_list(st["Resource"])
    ]
    used = manage_connections_verbs(backend_source())
    assert used == {"POST", "DELETE"}  # messages, and closing connections whose sign-in expired
    assert sorted(arns) == sorted(
        f"arn:aws:execute-api:eu-central-1:123456789012:ws1/prod/{verb}/@connections/*" for verb in used
    )


def test_the_scan_of_manage_connections_verbs_finds_them() -> None:
    assert manage_connections_verbs('self._request("DELETE", cid, b"")') == {"DELETE"}
    assert manage_connections_verbs("client.post_to_connection(ConnectionId=c)") == {"POST"}
    assert manage_connections_verbs("x = 1") == set()


def backend_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(BACKEND.rglob("*.py")))


# IAM actions whose names differ from the API operation that needs them.
_ACTION_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    ("s3", "HeadBucket"): ("s3:ListBucket",),
    ("s3", "HeadObject"): ("s3:GetObject",),
    ("s3", "ListObjectsV2"): ("s3:ListBucket",),
    ("s3", "DeleteObjects"): ("s3:DeleteObject",),
    # GetObject on the source, PutObject on the target.
    ("s3", "CopyObject"): ("s3:GetObject", "s3:PutObject"),
    # A transaction is authorised per item; the review's items are Puts (invoice and history).
    ("dynamodb", "TransactWriteItems"): ("dynamodb:PutItem",),
    # SQS authorises a batch as its single-message action.
    ("sqs", "SendMessageBatch"): ("sqs:SendMessage",),
}
# Presigned requests are no API calls of the function, but S3 authorises them with its role.
_PRESIGNED_ACTION = {"generate_presigned_post": "s3:PutObject", "generate_presigned_url": "s3:GetObject"}


def actions_needed(service: str, ops: set[str]) -> set[str]:
    return {a for op in ops for a in _ACTION_FOR.get((service, op), (f"{service}:{op}",))}


def operations_used(service: str, source: str | None = None) -> set[str]:
    """API operations of `service` called in `source` (default: the whole backend)."""
    from botocore import xform_name

    model = get_session().get_service_model(service)
    source = backend_source() if source is None else source
    used = set()
    for op in model.operation_names:
        snake = xform_name(op)
        if re.search(rf"\.{snake}\(", source) or re.search(rf"get_paginator\(\s*[\"']{snake}[\"']", source):
            used.add(op)
    return used


@pytest.mark.parametrize("service", ["dynamodb", "s3", "textract", "sqs"])
def test_every_aws_call_of_the_backend_is_allowed(tpl: dict[str, Any], service: str) -> None:
    granted = {a for st in all_statements(tpl) for a in cfn.as_list(st["Action"])}
    needed = actions_needed(service, operations_used(service))
    if service == "s3":
        source = backend_source()
        needed |= {action for call, action in _PRESIGNED_ACTION.items() if f".{call}(" in source}
    assert sorted(needed - granted) == []


# The one module that talks to each table (the test below keeps this map honest).
TABLE_MODULES = {
    "invoice_app/invoices/repository.py": "InvoicesTable",
    "invoice_app/metrics/store.py": "MetricsTable",
    "invoice_app/realtime/registry.py": "ConnectionsTable",
    "invoice_app/realtime/topics.py": "TopicsTable",
    "invoice_app/review/history.py": "HistoryTable",
    "invoice_app/idempotency/store.py": "IdempotencyTable",
    # The sharded fan-out's ledger and the broadcast clock: small records of the same table.
    "invoice_app/realtime/shards.py": "IdempotencyTable",
    "invoice_app/realtime/pacing.py": "IdempotencyTable",
    "invoice_app/visualizations/store.py": "VisualizationsTable",
    # the upload rate limiter's `rate#` counters share the idempotency table (ratelimit/store.py)
    "invoice_app/ratelimit/store.py": "IdempotencyTable",
}


# Commands an operator runs by hand with their own credentials, never the function: their calls
# need no grant on the function's role (granting them would widen it for nothing).
OPERATOR_COMMANDS = {
    # the one-off createdDay migration: a Scan + conditional UpdateItem of the invoices table
    "invoice_app/visualizations/backfill.py",
}


def test_no_module_of_the_function_imports_an_operator_command() -> None:
    """The exemption above holds only while the function never runs those calls."""
    for command in OPERATOR_COMMANDS:
        name = command.removesuffix(".py").split("/")[-1]
        dotted = command.removesuffix(".py").replace("/", ".")
        pattern = re.compile(
            rf"(from\s+[\w.]*\b{name}\s+import|from\s+[\w.]+\s+import\s+[^\n]*\b{name}\b|import\s+{re.escape(dotted)})"
        )
        for path in sorted(BACKEND.rglob("*.py")):
            module = path.relative_to(BACKEND).as_posix()
            if module != command:
                assert not pattern.search(path.read_text(encoding="utf-8")), f"{module} imports {command}"


def test_each_table_grants_the_calls_its_module_makes(tpl: dict[str, Any]) -> None:
    statements = all_statements(tpl)
    for path in sorted(BACKEND.rglob("*.py")):
        module = path.relative_to(BACKEND).as_posix()
        if module in OPERATOR_COMMANDS:
            continue
        ops = operations_used("dynamodb", path.read_text(encoding="utf-8"))
        if module not in TABLE_MODULES:
            assert not ops, f"{module} calls DynamoDB ({sorted(ops)}): add it to TABLE_MODULES"
            continue
        table = TABLE_MODULES[module]
        granted = {
            a
            for st in statements
            if table in cfn.references(st["Resource"])
            for a in cfn.as_list(st["Action"])
        }
        assert sorted(actions_needed("dynamodb", ops) - granted) == [], module


def test_no_statement_grants_an_action_nothing_uses(tpl: dict[str, Any]) -> None:
    """The other direction: every action of every statement is called by the code (on the
    statement's own table, for tables), or used by the platform on the function's behalf for a
    resource this template wires to it (stream mappings, their failure queue, logs, tracing)."""
    sources: dict[str, list[str]] = {}
    for module, table in TABLE_MODULES.items():
        sources.setdefault(table, []).append((BACKEND / module).read_text(encoding="utf-8"))
    source = backend_source()
    by_code = {"s3": actions_needed("s3", operations_used("s3"))}
    # Textract's calls go through a retry helper as bound methods (`_call(client.analyze_expense, …)`).
    from botocore import xform_name

    textract = get_session().get_service_model("textract").operation_names
    by_code["textract"] = {f"textract:{op}" for op in textract if re.search(rf"\.{xform_name(op)}\b", source)}
    by_code["s3"] |= {action for call, action in _PRESIGNED_ACTION.items() if f".{call}(" in source}
    by_code["execute-api"] = {"execute-api:ManageConnections"} if manage_connections_verbs(source) else set()
    stream_actions = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
    eff = cfn.effective(tpl, BroadcastMode="stream", EnableTracing="true")
    mapped = {
        ref
        for esm in resources_of(eff, "AWS::Lambda::EventSourceMapping").values()
        for ref in cfn.references(esm["Properties"]["EventSourceArn"])
    }
    destinations = {
        ref
        for esm in resources_of(eff, "AWS::Lambda::EventSourceMapping").values()
        for ref in cfn.references(esm["Properties"].get("DestinationConfig", {}))
    }
    queues = set(resources_of(tpl, "AWS::SQS::Queue"))
    function_env = [
        fn["Properties"].get("Environment", {})
        for fn in resources_of(tpl, "AWS::Serverless::Function").values()
    ]
    queues_in_environment = {ref for env in function_env for ref in cfn.references(env)} & queues
    for st in all_statements(tpl):
        actions = set(cfn.as_list(st["Action"]))
        refs = cfn.references(st["Resource"])
        sid = st.get("Sid")
        if actions <= stream_actions | {"dynamodb:ListStreams"}:
            assert refs & mapped, f"{sid}: stream actions on a stream no mapping reads"
            continue
        if actions == {"sqs:SendMessage"}:
            # A mapping's failure destination, or a queue the code sends to (the broadcast shards),
            # which it knows from its environment.
            sends = "sqs:SendMessage" in actions_needed("sqs", operations_used("sqs"))
            allowed = destinations | (queues_in_environment if sends else set())
            assert refs <= allowed, f"{sid}: a queue neither a mapping nor the code sends to"
            continue
        if actions <= {
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ChangeMessageVisibility",
        }:
            assert refs <= mapped, f"{sid}: queue actions on a queue no mapping reads"
            continue
        if actions <= {"logs:CreateLogStream", "logs:PutLogEvents"}:
            assert refs == {"FunctionLogGroup"}, sid
            continue
        if actions <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}:
            continue  # tracing (EnableTracing): the runtime sends the segments
        tables = [t for t in sources if t in refs]
        if tables:
            used = {
                a
                for t in tables
                for text in sources[t]
                for a in actions_needed("dynamodb", operations_used("dynamodb", text))
            }
            assert sorted(actions - used) == [], f"{sid} grants what its table's modules never call"
            continue
        service = next(iter(actions)).split(":")[0]
        assert sorted(actions - by_code.get(service, set())) == [], f"{sid} grants what the code never calls"


def test_the_scan_of_aws_calls_finds_them() -> None:
    assert {"PutItem", "BatchGetItem", "Scan", "Query"} <= operations_used("dynamodb")
    assert {"PutObject", "HeadBucket", "CopyObject", "GetObject"} <= operations_used("s3")
    assert operations_used("dynamodb", "x.update_item(Key=k)") == {"UpdateItem"}


def test_role_is_for_lambda_only(tpl: dict[str, Any]) -> None:
    (role,) = resources_of(tpl, "AWS::IAM::Role").values()
    (st,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert st["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert props(tpl, FUNCTION)["Role"] == {"Fn::GetAtt": ["InvoiceFunctionRole", "Arn"]}


# -- S3 and the frontend ----------------------------------------------------------------------


def bucket_policy_for(tpl: dict[str, Any], bucket: str) -> list[dict[str, Any]]:
    (policy,) = [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in resources_of(tpl, "AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    return policy


@pytest.mark.parametrize("bucket", ["UploadsBucket", "FrontendBucket"])
def test_buckets_are_private_encrypted_and_tls_only(tpl: dict[str, Any], bucket: str) -> None:
    p = props(tpl, bucket)
    assert p["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert p["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "WebsiteConfiguration" not in p
    rules = p["LifecycleConfiguration"]["Rules"]
    assert any(r.get("AbortIncompleteMultipartUpload") for r in rules)
    deny = [s for s in bucket_policy_for(tpl, bucket) if s["Effect"] == "Deny"]
    assert len(deny) == 1
    assert deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny[0]["Action"] == "s3:*"
    assert {cfn.substitute(r, {}) for r in deny[0]["Resource"]} == {f"<{bucket}.Arn>", f"<{bucket}.Arn>/*"}
    allows = [s for s in bucket_policy_for(tpl, bucket) if s["Effect"] == "Allow"]
    assert all(s["Principal"] != "*" for s in allows)


def granted_on(tpl: dict[str, Any], resource: str) -> set[str]:
    """Actions the role allows on one resource, written as the substituted ARN (`<X.Arn>/p/*`)."""
    return {
        action
        for st in all_statements(tpl)
        if resource in {cfn.substitute(r, {}) for r in cfn.as_list(st["Resource"])}
        for action in cfn.as_list(st["Action"])
    }


def test_uploads_bucket_grants_follow_the_key_prefixes_the_code_uses(tpl: dict[str, Any]) -> None:
    from invoice_app.documents.cache import pages_prefix
    from invoice_app.uploads.store import INCOMING_PREFIX, incoming_key, object_key

    originals = object_key("inv_1", "application/pdf").split("/")[0] + "/"
    assert incoming_key("0" * 32).startswith(INCOMING_PREFIX)
    incoming = granted_on(tpl, f"<UploadsBucket.Arn>/{INCOMING_PREFIX}*")
    # the browser's presigned POST (PutObject), reading it and copying from it, removing it
    assert incoming == {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}
    # put_original, the copy's target, and the removal after a failed invoice write; the document
    # view reads the original and its cached page images under invoices/<id>/pages/ (presigned GETs)
    assert granted_on(tpl, f"<UploadsBucket.Arn>/{originals}*") == {
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:GetObject",
    }
    assert pages_prefix("inv_1").startswith(originals)
    # a missing key is a 404 (unknown upload id) rather than a 403 only with ListBucket
    assert "s3:ListBucket" in granted_on(tpl, "<UploadsBucket.Arn>")


def test_incoming_uploads_expire_after_a_day(tpl: dict[str, Any]) -> None:
    from invoice_app.uploads.store import INCOMING_PREFIX

    rules = props(cfn.effective(tpl), "UploadsBucket")["LifecycleConfiguration"]["Rules"]
    (rule,) = [r for r in rules if r.get("Prefix") == INCOMING_PREFIX]
    assert rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == 1
    # incoming files are never tiered like originals (tiering applies to invoices/ only)
    assert all(r.get("Prefix") for r in rules if r.get("Transitions"))


@pytest.mark.parametrize("extra", ["", "http://localhost:3000,https://app.example.com"])
def test_browsers_may_post_uploads_from_the_origins_the_api_allows(tpl: dict[str, Any], extra: str) -> None:
    params = cfn.parameter_values(tpl, CorsOrigins=extra)
    eff = cfn.effective(tpl, CorsOrigins=extra)
    attrs = {"FrontendDistribution.DomainName": "d111.cloudfront.net"}
    (rule,) = cfn.substitute(props(eff, "UploadsBucket")["CorsConfiguration"]["CorsRules"], params, attrs)
    api_origins = cfn.substitute(props(eff, "HttpApi")["CorsConfiguration"]["AllowOrigins"], params, attrs)

    assert rule["AllowedOrigins"] == api_origins
    assert rule["AllowedOrigins"][0] == "https://d111.cloudfront.net"
    assert "*" not in rule["AllowedOrigins"]
    assert rule["AllowedMethods"] == ["POST"]
    assert 0 < rule["MaxAge"] <= 3600


def test_upload_lifecycle(tpl: dict[str, Any]) -> None:
    rules = {
        r["Id"]: r for r in props(cfn.effective(tpl), "UploadsBucket")["LifecycleConfiguration"]["Rules"]
    }
    assert rules["OriginalsToIntelligentTiering"]["Transitions"][0]["StorageClass"] == "INTELLIGENT_TIERING"
    assert rules["ExpireOriginals"]["Status"] == "Disabled"  # default: keep invoices
    expiring = props(cfn.effective(tpl, UploadRetentionDays="3650"), "UploadsBucket")
    rules = {r["Id"]: r for r in expiring["LifecycleConfiguration"]["Rules"]}
    assert rules["ExpireOriginals"]["Status"] == "Enabled"
    assert rules["ExpireOriginals"]["ExpirationInDays"] == {"Ref": "UploadRetentionDays"}


def test_frontend_served_by_cloudfront_through_oac(tpl: dict[str, Any]) -> None:
    dist = props(tpl, "FrontendDistribution")["DistributionConfig"]
    (origin,) = dist["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["FrontendOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert dist["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    oac = props(tpl, "FrontendOriginAccessControl")["OriginAccessControlConfig"]
    assert (oac["OriginAccessControlOriginType"], oac["SigningBehavior"]) == ("s3", "always")
    (allow,) = [s for s in bucket_policy_for(tpl, "FrontendBucket") if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = cfn.substitute(allow["Condition"]["StringEquals"]["AWS:SourceArn"], {})
    assert source == "arn:aws:cloudfront::123456789012:distribution/<FrontendDistribution>"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the CloudFront function")
def test_cloudfront_rewrite_maps_paths_to_exported_files(tpl: dict[str, Any]) -> None:
    code = props(tpl, "FrontendPathRewrite")["FunctionCode"]
    uris = ["/", "/invoices", "/invoices/", "/invoice", "/_next/static/chunks/a1.js", "/config.json"]
    rewrite = "u => handler({request: {uri: u}}).uri"
    script = f"{code}\nconsole.log(JSON.stringify({json.dumps(uris)}.map({rewrite})));"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout) == [
        "/index.html",
        "/invoices/index.html",  # the export has trailingSlash: every page is dir/index.html
        "/invoices/index.html",
        "/invoice/index.html",
        "/_next/static/chunks/a1.js",
        "/config.json",
    ]


# -- outputs ----------------------------------------------------------------------------------


def test_outputs(tpl: dict[str, Any]) -> None:
    import frontend_config

    outputs = tpl["Outputs"]
    wanted = {"HttpApiUrl", "WebSocketUrl", "UploadsBucketName", "FrontendBucketName", "FrontendUrl"}
    wanted |= set(frontend_config.REQUIRED_OUTPUTS)
    wanted |= {frontend_config.BUCKET_OUTPUT, frontend_config.DISTRIBUTION_OUTPUT}
    wanted |= {frontend_config.MAX_S3_UPLOAD_OUTPUT}
    wanted |= {frontend_config.USER_POOL_OUTPUT, frontend_config.CLIENT_OUTPUT, frontend_config.REGION_OUTPUT}
    assert sorted(wanted - set(outputs)) == []
    url = cfn.substitute(outputs["HttpApiUrl"]["Value"], {}, {"HttpApi": "h1"})
    assert url == "https://h1.execute-api.eu-central-1.amazonaws.com"


# -- sharded fan-out: the broadcast queue ------------------------------------------------------


def test_broadcast_queue_redrives_to_a_dead_letter_queue_with_an_alarm(tpl: dict[str, Any]) -> None:
    queue = props(tpl, "BroadcastQueue")
    function_timeout = props(tpl, FUNCTION)["Timeout"]
    # Lambda asks for a visibility timeout of at least 6x the function's timeout.
    assert queue["VisibilityTimeout"] >= 6 * function_timeout
    redrive = queue["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["BroadcastDeadLetterQueue", "Arn"]}
    assert 1 < redrive["maxReceiveCount"] <= 5
    dlq = props(tpl, "BroadcastDeadLetterQueue")
    assert dlq["MessageRetentionPeriod"] > queue["MessageRetentionPeriod"]
    assert queue["SqsManagedSseEnabled"] and dlq["SqsManagedSseEnabled"]
    alarm = props(tpl, "BroadcastDeadLetterAlarm")
    assert alarm["Namespace"] == "AWS/SQS"
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["BroadcastDeadLetterQueue", "QueueName"]}}
    ]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_broadcast_queue_feeds_the_same_function_with_bounded_concurrency(tpl: dict[str, Any]) -> None:
    (esm,) = [
        r["Properties"]
        for r in resources_of(tpl, "AWS::Lambda::EventSourceMapping").values()
        if r["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["BroadcastQueue", "Arn"]}
    ]
    assert esm["FunctionName"] == {"Ref": FUNCTION}
    assert esm["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert esm["ScalingConfig"]["MaximumConcurrency"] == {"Ref": "BroadcastMaxConcurrency"}
    assert tpl["Parameters"]["BroadcastMaxConcurrency"]["MinValue"] >= 2  # Lambda's own minimum
    assert 1 <= esm["BatchSize"] <= 10


def test_the_function_is_told_the_queue_shard_size_and_rate(tpl: dict[str, Any]) -> None:
    env = props(tpl, FUNCTION)["Environment"]["Variables"]
    assert env["BROADCAST_QUEUE_URL"] == {"Ref": "BroadcastQueue"}
    assert env["BROADCAST_SHARD_SIZE"] == {"Ref": "BroadcastShardSize"}
    assert env["BROADCAST_MAX_RATE"] == {"Ref": "BroadcastMaxRate"}
    # Headroom under API Gateway's ~10,000 requests/s per account and region.
    assert tpl["Parameters"]["BroadcastMaxRate"]["Default"] < 10_000
    assert tpl["Parameters"]["BroadcastMaxRate"]["MaxValue"] <= 10_000


def test_broadcast_queue_permissions_are_least_privilege(tpl: dict[str, Any]) -> None:
    queue_arn = {"Fn::GetAtt": ["BroadcastQueue", "Arn"]}
    on_queue = [st for st in all_statements(tpl) if st.get("Resource") == queue_arn]
    actions: set[str] = set()
    for st in on_queue:
        acts = st["Action"]
        actions |= set([acts] if isinstance(acts, str) else acts)
    # Send (the producer; SendMessageBatch is authorised as SendMessage) and what the event
    # source mapping needs; nothing else, on nothing else.
    assert actions == {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
    for st in all_statements(tpl):
        acts = st["Action"]
        for act in [acts] if isinstance(acts, str) else acts:
            if act.startswith("sqs:") and act != "sqs:SendMessage":
                assert st["Resource"] == queue_arn, st
    source = (BACKEND / "invoice_app" / "realtime" / "shards.py").read_text()
    used = set(re.findall(r"self\._client\.(send_message(?:_batch)?)\(", source))
    assert used == {"send_message", "send_message_batch"}


def test_a_rollup_bucket_is_final_only_after_any_invocation_that_wrote_it_has_ended(
    tpl: dict[str, Any],
) -> None:
    """metrics/store.py keeps buckets that ended FINAL_AFTER_MS ago instead of reading them again:
    that holds only while no invocation can still be writing into one (the function's timeout),
    with a few seconds for the clocks of different instances."""
    from invoice_app.metrics.store import FINAL_AFTER_MS

    assert props(tpl, FUNCTION)["Timeout"] * 1000 + 5_000 <= FINAL_AFTER_MS
