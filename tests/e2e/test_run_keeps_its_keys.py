"""`make run-services` keeps the gateway's development key and portal secret in the run's data directory:
a token issued before a restart still signs its holder in after it (issue 17: every token died with it)."""

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import delete_topology
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running, service_ports_env

pytestmark = [pytest.mark.rabbitmq, pytest.mark.e2e]


def test_a_development_token_outlives_a_restart_of_the_run(tmp_path: Path) -> None:
    amqp_url, namespace, port = require_rabbitmq(), unique_namespace(), free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"PORT": str(port), **service_ports_env(port), "AMQP_URL": amqp_url, "NAMESPACE": namespace,
           "DEMO_DATA": "0", "STORE_JOURNAL_DIR": str(tmp_path)}
    try:
        with running("services.distributed", env, f"{url}/readyz", "services-keys"):
            issued = httpx.post(f"{url}/v1/dev/token", json={
                "sub": "cong-dan-an", "name": "Nguyễn Văn An", "email": "an@example.vn", "roles": ["citizen"]})
            token = issued.json()["access_token"]
            bearer = {"Authorization": f"Bearer {token}"}
            assert httpx.get(f"{url}/v1/me/status-counts", headers=bearer).status_code == 200
        assert (tmp_path / "gateway-dev-jwt.key").stat().st_mode & 0o077 == 0
        with running("services.distributed", env, f"{url}/readyz", "services-keys"):
            assert httpx.get(f"{url}/v1/me/status-counts", headers=bearer).status_code == 200
    finally:
        asyncio.run(delete_topology(amqp_url, namespace))
