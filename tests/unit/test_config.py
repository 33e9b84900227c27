from __future__ import annotations

import pytest

from invoice_app.core.settings import ConfigError, Settings, management_endpoint_from_ws

POOL = {"COGNITO_USER_POOL_ID": "us-east-1_Ab12", "COGNITO_CLIENT_ID": "web"}


def test_defaults_need_no_environment_but_the_user_pool() -> None:
    settings = Settings.from_env(POOL)

    assert settings.connections_table == "WSConnections"
    assert settings.metrics_table == "InvoiceMetrics"
    assert settings.broadcast_mode == "stream"
    assert settings.max_upload_bytes == 4_500_000
    assert settings.max_s3_upload_bytes == 20_000_000
    assert "*" not in settings.cors_origins


def test_reads_every_documented_variable() -> None:
    settings = Settings.from_env(
        {
            "CONNECTIONS_TABLE": "c",
            "METRICS_TABLE": "m",
            "INVOICES_TABLE": "i",
            "UPLOADS_BUCKET": "b",
            "WS_ENDPOINT": "wss://abc.execute-api.eu-west-1.amazonaws.com/prod",
            "CORS_ORIGINS": "https://a.example, https://b.example",
            "OCR_ENGINE": "TESSERACT",
            "TESSERACT_LANGUAGES": "eng+deu",
            "MAX_UPLOAD_BYTES": "1000",
            "MAX_S3_UPLOAD_BYTES": "50000000",
            "BROADCAST_MODE": "inline",
            "LOG_LEVEL": "debug",
            "AWS_REGION": "eu-west-1",
            "AUTH_MODE": "cognito",
            "COGNITO_USER_POOL_ID": "eu-west-1_Ab12",
            "COGNITO_CLIENT_ID": "web, mobile",
            "COGNITO_JWKS_URL": "http://127.0.0.1:5000/eu-west-1_Ab12/.well-known/jwks.json",
        }
    )

    assert (settings.connections_table, settings.metrics_table, settings.invoices_table) == ("c", "m", "i")
    assert settings.uploads_bucket == "b"
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.ocr_engine == "tesseract"
    assert settings.tesseract_languages == "eng+deu"
    assert settings.max_upload_bytes == 1000
    assert settings.max_s3_upload_bytes == 50_000_000
    assert settings.broadcast_mode == "inline"
    assert settings.log_level == "DEBUG"
    assert settings.aws_region == "eu-west-1"
    assert settings.management_endpoint == "https://abc.execute-api.eu-west-1.amazonaws.com/prod"
    assert settings.cognito_client_ids == ("web", "mobile")
    assert settings.jwks_url == "http://127.0.0.1:5000/eu-west-1_Ab12/.well-known/jwks.json"


@pytest.mark.parametrize(
    "env",
    [
        {"BROADCAST_MODE": "sometimes"},
        {"OCR_ENGINE": "magic"},
        {"TESSERACT_LANGUAGES": "eng deu"},
        {"TESSERACT_LANGUAGES": "eng+../x"},
        {"MAX_UPLOAD_BYTES": "lots"},
        {"MAX_UPLOAD_BYTES": "0"},
        {"MAX_S3_UPLOAD_BYTES": "20 MB"},
        {"MAX_S3_UPLOAD_BYTES": "-1"},
        {"CONNECTION_TTL_SECONDS": "86400"},
    ],
)
def test_rejects_unusable_values(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({**POOL, **env})


def test_a_missing_user_pool_fails_closed() -> None:
    for env in ({}, {"COGNITO_CLIENT_ID": "web"}, {"COGNITO_USER_POOL_ID": "us-east-1_Ab12"}):
        with pytest.raises(ConfigError, match="COGNITO_"):
            Settings.from_env(env)
    with pytest.raises(ConfigError, match="AUTH_MODE"):
        Settings.from_env({**POOL, "AUTH_MODE": "off"})


def test_auth_can_be_turned_off_only_explicitly() -> None:
    assert Settings.from_env({"AUTH_MODE": "NONE"}).auth_mode == "none"
    assert Settings.from_env(POOL).auth_mode == "cognito"


def test_keys_come_from_the_pool_unless_a_jwks_url_is_given() -> None:
    settings = Settings.from_env({"COGNITO_USER_POOL_ID": "eu-west-1_Ab12", "COGNITO_CLIENT_ID": "a, b"})

    assert (
        settings.jwks_url
        == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12/.well-known/jwks.json"
    )
    assert settings.cognito_client_ids == ("a", "b")


@pytest.mark.parametrize(
    ("ws", "https"),
    [
        (
            "wss://id.execute-api.us-east-1.amazonaws.com/prod",
            "https://id.execute-api.us-east-1.amazonaws.com/prod",
        ),
        ("ws://127.0.0.1:8000/ws/", "http://127.0.0.1:8000/ws"),
    ],
)
def test_management_endpoint_is_the_https_twin(ws: str, https: str) -> None:
    assert management_endpoint_from_ws(ws) == https
