"""`docker-compose.yml`: valid (Debian's docker-compose 1.29 checks it without an engine), every service
from its own Dockerfile, started in order by health checks, the gateway on port 8000."""

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from shared.broker_users import SERVICES, compose_definitions, compose_password
from tests.deploy.services import SETTINGS, dockerfile_of, port_of, services_asked_by
from tests.support.processes import ROOT
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


@pytest.mark.parametrize("service", sorted(set(SETTINGS) - {"gateway"}))
def test_each_service_is_told_where_the_services_it_asks_listen(compose: dict[str, Any], service: str) -> None:
    """Notify asks intake for the owner's address and slips for the receipt; query and slips ask intake for the
    applicant: the compose network's names, not the development defaults (127.0.0.1)."""
    environment = compose["services"][service]["environment"]
    assert {other: environment.get(f"{other.upper()}_URL") for other in services_asked_by(service)} == {
        other: f"http://{other}:{port_of(other)}" for other in services_asked_by(service)}


def test_each_service_connects_to_the_broker_as_its_own_user(compose: dict[str, Any]) -> None:
    """Its user's rights are shared/broker_users.py's, in the definitions the broker loads at start."""
    rabbitmq = compose["services"]["rabbitmq"]
    mounted = {volume["target"] if isinstance(volume, dict) else volume.split(":")[1] for volume in rabbitmq["volumes"]}
    assert {"/etc/rabbitmq/definitions.json", "/etc/rabbitmq/conf.d/20-hoso.conf"} <= mounted
    loaded = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))
    assert loaded == compose_definitions(), "regenerate: python -m shared.broker_users --compose"
    users = {user["name"] for user in loaded["users"]}
    for service in SERVICES:
        url = urlsplit(compose["services"][service]["environment"]["AMQP_URL"])
        assert (url.username, url.password) == (service, compose_password(service))
        assert service in users
    assert "AMQP_URL" not in compose["services"]["gateway"]["environment"]


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
