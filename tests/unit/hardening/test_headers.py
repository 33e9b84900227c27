"""The frontend's security headers: the template's CloudFront policy and the local stack's, in step.

GIVEN the SAM template WHEN its frontend distribution answers THEN it carries a
Content-Security-Policy that allows only the app's own origin, its API and WebSocket endpoints,
Cognito and S3 (connect-src), `frame-ancestors 'none'`, HSTS, nosniff and a referrer policy;
the local gateway serves the same policy with its own endpoints, so the e2e tests run the page
under it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from devstack.gateway import Gateway
from devstack.gateway.static import CSP_DIRECTIVES
from tests.helpers.gateway_server import serving
from tests.infra import cfn

REGION = cfn.PSEUDO["AWS::Region"]


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def template_csp(tpl: dict[str, Any], **overrides: str) -> dict[str, list[str]]:
    eff = cfn.effective(tpl, **overrides)
    config = eff["Resources"]["FrontendHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert csp["Override"] is True
    return directives(cfn.substitute(csp["ContentSecurityPolicy"], cfn.parameter_values(tpl, **overrides)))


@pytest.fixture(scope="module")
def tpl() -> dict[str, Any]:
    return cfn.template()


def test_the_distribution_sends_the_apps_own_policy(tpl) -> None:
    behaviour = tpl["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "FrontendHeadersPolicy"}
    security = tpl["Resources"]["FrontendHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31_536_000
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"


def test_connect_src_is_the_apis_cognito_and_s3_only(tpl) -> None:
    csp = template_csp(tpl)
    assert csp["connect-src"] == [
        "'self'",
        f"https://*.execute-api.{REGION}.amazonaws.com",
        f"wss://*.execute-api.{REGION}.amazonaws.com",
        f"https://cognito-idp.{REGION}.amazonaws.com",
        f"https://s3.{REGION}.amazonaws.com",
        "https://s3.amazonaws.com",
    ]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"] and csp["script-src"][0] == "'self'"
    assert not any("*" in v for name, vs in csp.items() if name != "connect-src" for v in vs)
    assert csp["img-src"][-1] == f"https://s3.{REGION}.amazonaws.com"  # presigned page images


def test_cspapiorigins_pins_the_exact_api_origins(tpl) -> None:
    origins = "https://abc.execute-api.us-east-1.amazonaws.com wss://def.execute-api.us-east-1.amazonaws.com"
    csp = template_csp(tpl, CspApiOrigins=origins)
    assert csp["connect-src"][1:3] == origins.split()
    assert not any("*" in v for v in csp["connect-src"])
    pattern = tpl["Parameters"]["CspApiOrigins"]["AllowedPattern"]
    assert re.fullmatch(pattern, origins) and re.fullmatch(pattern, "")
    assert not re.fullmatch(pattern, "https://a.example; script-src *")


def test_the_local_stack_serves_the_same_policy(tpl) -> None:
    deployed = template_csp(tpl)
    local = dict(CSP_DIRECTIVES)
    assert list(local) == list(deployed)
    for name, values in deployed.items():
        if name not in ("connect-src", "img-src"):
            assert local[name].split() == values, name
    # Page images come from S3's presigned GETs: S3's origin on AWS, the embedded AWS locally.
    assert deployed["img-src"] == [*local["img-src"].split(), f"https://s3.{REGION}.amazonaws.com"]


def test_the_local_gateway_sends_the_headers_on_pages_and_not_found(tmp_path) -> None:
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "404.html").write_text("missing")
    gw = Gateway(object(), static_dir=tmp_path)  # type: ignore[arg-type]
    gw.static.extra_connect_src = ("http://127.0.0.1:5000",)
    with serving(gw.app) as host:
        for path, status in (("/", 200), ("/nope", 404)):
            answer = requests.get(f"http://{host}{path}", timeout=10)
            assert answer.status_code == status
            csp = directives(answer.headers["Content-Security-Policy"])
            assert csp["connect-src"] == ["'self'", f"ws://{host}", "http://127.0.0.1:5000"]
            assert csp["frame-ancestors"] == ["'none'"]
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert answer.headers["X-Frame-Options"] == "DENY"
