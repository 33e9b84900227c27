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
    indexes = {g["IndexName"]: g for g in invoices["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"byCreatedAt", "byDay"}
    assert [(k["AttributeName"], k["KeyType"]) for k in indexes["byCreatedAt"]["KeySchema"]] == [
        ("listKey", "HASH"),
        ("createdAt", "RANGE"),
    ]
    assert [(k["AttributeName"], k["KeyType"]) for k in indexes["byDay"]["KeySchema"]] == [
        ("createdDay", "HASH"),
        ("createdAt", "RANGE"),
    ]
    assert indexes["byDay"]["Projection"]["ProjectionType"] == "INCLUDE"

    visualizations = dynamodb.describe_table(TableName=provisioned["VISUALIZATIONS_TABLE"])["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in visualizations["KeySchema"]] == [
        ("pk", "HASH"),
        ("sk", "RANGE"),
    ]
    assert {g["IndexName"] for g in visualizations["GlobalSecondaryIndexes"]} == {"byOwner", "byShared"}

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


def test_the_user_pool_client_and_groups_come_from_the_template(aws) -> None:
    """GIVEN moto's Cognito WHEN the local stack provisions it THEN the pool is the template's
    (the properties moto keeps), and one user per role signs in with the given password."""
    from devstack.auth import SEED_USERS, provision_cognito

    cognito = boto3.client("cognito-idp")
    local = provision_cognito(cognito, "http://moto", password="Fixed-Pass-1234")

    declared = load_template()["Resources"]
    pool = cognito.describe_user_pool(UserPoolId=local.pool_id)["UserPool"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"] == declared["UserPool"]["Properties"]["Policies"]
    client = cognito.describe_user_pool_client(UserPoolId=local.pool_id, ClientId=local.client_id)[
        "UserPoolClient"
    ]
    declared_client = declared["UserPoolClient"]["Properties"]
    for key in ("ExplicitAuthFlows", "IdTokenValidity", "TokenValidityUnits", "PreventUserExistenceErrors"):
        assert client[key] == declared_client[key], key
    assert "ClientSecret" not in client
    groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=local.pool_id)["Groups"]}
    assert groups == {"viewer", "reviewer", "admin"}

    assert [(u.role, u.email, u.name) for u in local.users.values()] == list(SEED_USERS)
    for user in local.users.values():
        in_groups = cognito.admin_list_groups_for_user(UserPoolId=local.pool_id, Username=user.email)[
            "Groups"
        ]
        assert [g["GroupName"] for g in in_groups] == [user.role]
        signed_in = cognito.initiate_auth(
            ClientId=local.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.email, "PASSWORD": "Fixed-Pass-1234"},
        )
        assert signed_in["AuthenticationResult"]["IdToken"]
    assert local.jwks_url == f"http://moto/{local.pool_id}/.well-known/jwks.json"
    assert local.issuer == f"https://cognito-idp.us-east-1.amazonaws.com/{local.pool_id}"


def test_random_passwords_differ_and_pass_the_template_policy(aws) -> None:
    from devstack.auth import provision_cognito, random_password

    assert random_password() != random_password()
    local = provision_cognito(boto3.client("cognito-idp"), "http://moto")  # moto checks the policy
    assert len({u.password for u in local.users.values()}) == 3
