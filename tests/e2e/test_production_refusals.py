"""`ENVIRONMENT=production`: the gateway refuses to start without an OpenID provider or a key, or with
development tokens on, saying why, before it listens anywhere."""

import os
import subprocess
import sys

import pytest

from tests.support.processes import ROOT, free_port

PROVIDER = ('[{"name": "vneid", "label": "Đăng nhập bằng VNeID", "issuer": "https://sso.example.vn", '
            '"client_id": "hoso", "client_secret": "%s", "redirect_url": "https://dvc.example.vn/dang-nhap/vneid/xong"}]')


@pytest.mark.parametrize(("settings", "said"), [
    ({}, "OIDC_PROVIDERS or JWT_KEY"),
    ({"OIDC_PROVIDERS": PROVIDER % "a-real-secret-from-the-provider", "DEV_TOKENS": "true"}, "DEV_TOKENS"),
    ({"OIDC_PROVIDERS": PROVIDER % "changeme"}, "client_secret"),
])
def test_the_gateway_will_not_start_unsafe_in_production(settings: dict[str, str], said: str) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("JWT_KEY", "OIDC_PROVIDERS", "DEV_TOKENS")}
    env |= {"ENVIRONMENT": "production", "PORT": str(free_port()), "PORTAL_SECRET": "a-long-random-portal-secret",
            **settings}
    started = subprocess.run([sys.executable, "-m", "services.gateway"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60, check=False)
    assert started.returncode != 0 and said in started.stderr
