"""`docker-compose.yml`: valid (Debian's docker-compose 1.29 checks it without an engine), every service
from its own Dockerfile, started in order by health checks, the gateway on port 8000."""

from typing import Any

import pytest
import yaml

from tests.deploy.services import SETTINGS, dockerfile_of, port_of
from tests.support.tools import require_tool, run_tool


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The file as Compose itself reads it: merged, interpolated and checked against its schema."""
    executable = require_tool("docker-compose", "docker-compose")
    rendered: dict[str, Any] = yaml.safe_load(run_tool(executable, "config"))
    return rendered


def test_the_broker_and_the_store_report_their_health(compose: dict[str, Any]) -> None:
    rabbitmq, mongodb = compose["services"]["rabbitmq"], compose["services"]["mongodb"]
    assert rabbitmq["image"].endswith("-management")  # the management UI
    assert ("15672", "15672") in _ports(rabbitmq)
    assert "--replSet" in mongodb["command"]  # transactions and change streams need a replica set
    for infrastructure in (rabbitmq, mongodb):
        assert infrastructure["healthcheck"]["test"]


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_is_built_from_its_dockerfile_and_waits_for_what_it_needs(
    compose: dict[str, Any], service: str,
) -> None:
    defined = compose["services"][service]
    assert defined["build"]["dockerfile"] == f"deploy/docker/{service}.Dockerfile"
    assert "HEALTHCHECK" in dockerfile_of(service)  # what `service_healthy` waits for
    assert defined["environment"]["PORT"] == str(port_of(service))
    needs = {"rabbitmq", "mongodb"} if service != "gateway" else set(SETTINGS) - {"gateway"}
    assert {name: condition["condition"] for name, condition in defined["depends_on"].items()} == {
        name: "service_healthy" for name in needs}
    # Four grace periods (requests, messages, workers, outboxes) must fit before Compose kills it.
    assert _seconds(defined["stop_grace_period"]) > 40
    secrets = [name for name in defined["environment"] if any(word in name for word in ("SECRET", "PASSWORD"))]
    assert secrets == [], f"{service}: secrets belong in the environment of the one who runs it"


def test_the_gateway_answers_on_port_8000(compose: dict[str, Any]) -> None:
    assert _ports(compose["services"]["gateway"]) == [("8000", "8000")]


def _ports(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(published, target) of each port: Compose 1.x renders `[ip:]published:target[/protocol]`, 2.x a mapping."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((str(port["published"]), str(port["target"])))
        else:
            *_, published, target = port.split("/")[0].split(":")
            found.append((published, target))
    return found


def _seconds(duration: str) -> int:
    assert duration.endswith("s"), duration
    return int(duration.removesuffix("s"))


def test_the_gateway_takes_its_openid_providers_from_the_environment() -> None:
    executable = require_tool("docker-compose", "docker-compose")
    providers = '[{"name": "vneid", "label": "Đăng nhập bằng VNeID", "issuer": "https://sso.example.vn"}]'
    rendered = yaml.safe_load(run_tool(executable, "config", env={"OIDC_PROVIDERS": providers}))
    assert rendered["services"]["gateway"]["environment"]["OIDC_PROVIDERS"] == providers
    unset = yaml.safe_load(run_tool(executable, "config", env={"OIDC_PROVIDERS": ""}))
    assert unset["services"]["gateway"]["environment"]["OIDC_PROVIDERS"] == "[]"
