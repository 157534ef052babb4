"""`deploy/`: each overlay rendered with kustomize (`kubectl kustomize`, offline) and checked against the
Kubernetes JSON schemas (kubernetes-validate, strict: a misspelt field fails), the operators' custom
resources against what their CRDs require, and the whole against what hoso needs to run well.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from shared.broker_users import broker_users
from shared.messaging.rabbitmq import DEFAULT_MAX_MESSAGE_BYTES
from tests.deploy.custom_resources import SCHEMAS
from tests.deploy.services import CONSUMERS, SETTINGS, WITH_A_DATABASE, port_of, services_asked_by
from tests.support.tools import ROOT, require_tool, run_tool

KUBERNETES_VERSION = "1.30"
DEPLOY = ROOT / "deploy"
OVERLAYS = ("development", "production")
Manifest = dict[str, Any]


def render(directory: Path) -> list[Manifest]:
    kubectl = require_tool("kubectl", "kubectl")
    return [document for document in yaml.safe_load_all(run_tool(kubectl, "kustomize", str(directory)))
            if document]


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> tuple[str, list[Manifest]]:
    return request.param, render(DEPLOY / "overlays" / request.param)


def of_kind(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {manifest["metadata"]["name"]: manifest for manifest in manifests if manifest["kind"] == kind}


def validate(manifests: list[Manifest]) -> None:
    for manifest in manifests:
        where = f"{manifest['kind']} {manifest['metadata']['name']}"
        if manifest["kind"] in SCHEMAS:
            jsonschema.validate(manifest, SCHEMAS[manifest["kind"]])
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{where}: {error.message} at {list(error.path)}")


def test_every_manifest_matches_its_schema(overlay: tuple[str, list[Manifest]]) -> None:
    _name, manifests = overlay
    validate(manifests)
    assert not of_kind(manifests, "Secret"), "no secrets in manifests: only references to them"


def test_the_validation_would_notice_a_mistake() -> None:
    """A check that passes everything checks nothing: a misspelt field must fail."""
    broken = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"prots": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_each_service_runs_probed_bounded_and_unprivileged(overlay: tuple[str, list[Manifest]]) -> None:
    _name, manifests = overlay
    deployments = of_kind(manifests, "Deployment")
    assert set(deployments) == set(SETTINGS)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert container["ports"] == [{"name": "http", "containerPort": port_of(name)}]
        assert _probe(container["readinessProbe"]) == ("/readyz", "http"), name
        assert _probe(container["livenessProbe"]) == ("/healthz", "http"), name
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]) & set(container["resources"]["limits"])
        assert pod["securityContext"]["runAsNonRoot"] and container["securityContext"]["readOnlyRootFilesystem"]
        assert pod["terminationGracePeriodSeconds"] > 45, "four grace periods and the preStop pause"
        assert {"name": "PORT", "value": str(port_of(name))} in container["env"]


def test_services_budgets_and_autoscalers_point_at_the_deployments(overlay: tuple[str, list[Manifest]]) -> None:
    _name, manifests = overlay
    pod_labels = {name: deployment["spec"]["template"]["metadata"]["labels"]
                  for name, deployment in of_kind(manifests, "Deployment").items()}

    def selects(selector: dict[str, str]) -> set[str]:
        return {name for name, labels in pod_labels.items() if selector.items() <= labels.items()}

    for name, service in of_kind(manifests, "Service").items():
        assert selects(service["spec"]["selector"]) == {name}
        assert service["spec"]["ports"][0]["port"] == port_of(name)
    assert {name for budget in of_kind(manifests, "PodDisruptionBudget").values()
            for name in selects(budget["spec"]["selector"]["matchLabels"])} == set(SETTINGS)
    autoscalers = of_kind(manifests, "HorizontalPodAutoscaler")
    assert {scaler["spec"]["scaleTargetRef"]["name"] for scaler in autoscalers.values()} == set(CONSUMERS)
    [ingress] = of_kind(manifests, "Ingress").values()
    backends = [path["backend"]["service"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert backends == [{"name": "gateway", "port": {"name": "http"}}]


def test_settings_come_from_config_maps_and_secret_references_the_readme_explains(
    overlay: tuple[str, list[Manifest]],
) -> None:
    _name, manifests = overlay
    config_maps = set(of_kind(manifests, "ConfigMap"))
    readme = (DEPLOY / "README.md").read_text()
    for deployment in of_kind(manifests, "Deployment").values():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert {source["configMapRef"]["name"] for source in container["envFrom"]} <= config_maps
        for secret in _secret_references(deployment):
            assert secret in readme, f"deploy/README.md should say who makes the Secret {secret}"
    for user in of_kind(manifests, "MongoDBCommunity")["hoso-mongodb"]["spec"]["users"]:
        assert user["passwordSecretRef"]["name"] in readme


def test_the_gateway_takes_its_openid_providers_and_keys_from_secrets(overlay: tuple[str, list[Manifest]]) -> None:
    _name, manifests = overlay
    [container] = of_kind(manifests, "Deployment")["gateway"]["spec"]["template"]["spec"]["containers"]
    from_secrets = {entry["name"]: entry["valueFrom"]["secretKeyRef"] for entry in container["env"]
                    if "valueFrom" in entry}
    assert {name: (ref["name"], ref["key"]) for name, ref in from_secrets.items()} == {
        "OIDC_PROVIDERS": ("hoso-gateway", "oidc-providers"), "JWT_KEY": ("hoso-gateway", "jwt-key"),
        "PORTAL_SECRET": ("hoso-gateway", "portal-secret"),
        # Its own database, for the Idempotency-Keys already answered.
        "MONGO_URL": ("hoso-mongodb-admin-gateway", "connectionString.standard")}
    [config] = of_kind(manifests, "ConfigMap").values()
    assert "OIDC_PROVIDERS" not in config["data"], "client secrets are never in a ConfigMap"


def test_each_service_connects_to_the_broker_as_its_own_user_with_the_rights_of_the_code(
    overlay: tuple[str, list[Manifest]],
) -> None:
    _name, manifests = overlay
    wanted = {f"hoso-broker-{user.name}": user for user in broker_users("hoso")}
    assert {name: user["spec"]["importCredentialsSecret"]["name"] for name, user in of_kind(manifests, "User").items()
            } == {name: name for name in wanted}
    for name, permission in of_kind(manifests, "Permission").items():
        user = wanted[permission["spec"]["userReference"]["name"]]
        assert permission["spec"]["permissions"] == {"configure": user.configure, "write": user.write,
                                                     "read": user.read}, name
    topics = {(topic["spec"]["userReference"]["name"], topic["spec"]["permissions"]["exchange"]):
              topic["spec"]["permissions"]["write"] for topic in of_kind(manifests, "TopicPermission").values()}
    assert topics == {(name, exchange): keys for name, user in wanted.items()
                      for exchange, keys in user.topic_writes.items()}
    for name, deployment in of_kind(manifests, "Deployment").items():
        if name == "gateway":
            continue
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        secrets = {entry["name"]: entry["valueFrom"]["secretKeyRef"]["name"]
                   for entry in container["env"] if "valueFrom" in entry}
        assert secrets["RABBITMQ_USERNAME"] == secrets["RABBITMQ_PASSWORD"] == f"hoso-broker-{name}", name


def test_production_runs_three_brokers_and_three_database_members() -> None:
    manifests = render(DEPLOY / "overlays" / "production")
    assert of_kind(manifests, "RabbitmqCluster")["hoso-rabbitmq"]["spec"]["replicas"] == 3
    mongodb = of_kind(manifests, "MongoDBCommunity")["hoso-mongodb"]["spec"]
    assert (mongodb["type"], mongodb["members"]) == ("ReplicaSet", 3)
    assert {user["name"] for user in mongodb["users"]} == set(WITH_A_DATABASE), "one database user per service"
    [config] = of_kind(manifests, "ConfigMap").values()
    assert config["data"]["ENVIRONMENT"] == "production" and "DEV_TOKENS" not in config["data"]
    [ingress] = of_kind(manifests, "Ingress").values()
    assert ingress["spec"]["tls"], "citizens' data travels over TLS"


def test_the_broker_refuses_a_message_larger_than_the_services_take(overlay: tuple[str, list[Manifest]]) -> None:
    """Refused at the door, a 5 MB poison message is never written by a quorum queue nor downloaded by a
    consumer only to be dead-lettered (issue 17's poison scenario)."""
    _name, manifests = overlay
    config = of_kind(manifests, "RabbitmqCluster")["hoso-rabbitmq"]["spec"]["rabbitmq"]["additionalConfig"]
    assert f"max_message_size = {DEFAULT_MAX_MESSAGE_BYTES}" in config.splitlines()
    compose_config = (DEPLOY / "rabbitmq" / "compose.conf").read_text(encoding="utf-8")
    assert f"max_message_size = {DEFAULT_MAX_MESSAGE_BYTES}" in compose_config.splitlines()


def test_queue_depth_autoscaling_adds_an_external_metric(tmp_path: Path) -> None:
    """The optional component, applied to production in a throwaway overlay (kustomize wants relative paths)."""
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "resources": [os.path.relpath(DEPLOY / "overlays" / "production", tmp_path)],
        "components": [os.path.relpath(DEPLOY / "components" / "queue-depth-autoscaling", tmp_path)],
    }))
    manifests = render(tmp_path)
    validate(manifests)
    for name, scaler in of_kind(manifests, "HorizontalPodAutoscaler").items():
        [external] = [metric["external"] for metric in scaler["spec"]["metrics"] if metric["type"] == "External"]
        assert external["metric"]["selector"]["matchLabels"] == {"queue": f"hoso.{name}"}


def _probe(probe: Manifest) -> tuple[str, str]:
    return probe["httpGet"]["path"], probe["httpGet"]["port"]


def _secret_references(manifest: Any) -> Iterator[str]:
    if isinstance(manifest, dict):
        if "secretKeyRef" in manifest:
            yield manifest["secretKeyRef"]["name"]
        for value in manifest.values():
            yield from _secret_references(value)
    elif isinstance(manifest, list):
        for value in manifest:
            yield from _secret_references(value)


def test_the_readme_names_no_secret_value() -> None:
    readme = (DEPLOY / "README.md").read_text()
    assert not re.search(r"--from-literal=[\w-]+=(?!<)", readme), "placeholders (<...>) only, never values"


def test_slips_sign_with_the_secrets_certificate_in_production_and_a_development_one_elsewhere(
    overlay: tuple[str, list[Manifest]],
) -> None:
    name, manifests = overlay
    pod = of_kind(manifests, "Deployment")["slips"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    env = {variable["name"]: variable for variable in container["env"]}
    assert "AMQP_URL" in env and "MONGO_URL" in env, "the broker and the store, whatever the overlay"
    mounts = {mount["name"]: mount for mount in container["volumeMounts"]}
    if name == "production":
        assert env["SIGNING_CERTIFICATE_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "hoso-slips-signing"
        [signing] = [volume for volume in pod["volumes"] if volume["name"] == "signing"]
        assert signing["secret"]["secretName"] == "hoso-slips-signing"
        assert mounts["signing"]["readOnly"] is True
        assert env["SIGNING_CERTIFICATE_FILE"]["value"] == f"{mounts['signing']['mountPath']}/certificate.p12"
    else:
        assert "SIGNING_CERTIFICATE_FILE" not in env and "signing" not in mounts
        assert env["DEV_CERTIFICATE_DIR"]["value"].startswith(mounts["tmp"]["mountPath"])


def test_notify_takes_the_sms_providers_keys_from_a_secret(overlay: tuple[str, list[Manifest]]) -> None:
    name, manifests = overlay
    [container] = of_kind(manifests, "Deployment")["notify"]["spec"]["template"]["spec"]["containers"]
    from_secrets = {entry["name"]: entry["valueFrom"]["secretKeyRef"] for entry in container["env"]
                    if "valueFrom" in entry}
    assert {variable: (from_secrets[variable]["name"], from_secrets[variable]["key"])
            for variable in ("SMS_API_KEY", "SMS_SECRET_KEY")} == {
        "SMS_API_KEY": ("hoso-sms", "api-key"), "SMS_SECRET_KEY": ("hoso-sms", "secret-key")}
    [config] = of_kind(manifests, "ConfigMap").values()
    assert not {"SMS_API_KEY", "SMS_SECRET_KEY"} & set(config["data"]), "keys are never in a ConfigMap"
    assert config["data"]["SMS_PROVIDER"] == ("esms" if name == "production" else "development")


def test_each_service_may_reach_the_services_it_asks_and_is_told_where(overlay: tuple[str, list[Manifest]]) -> None:
    """The internal APIs admit only the gateway, by default; a service that asks another (notify: intake for
    the owner's address, slips for the receipt; query and slips: intake for the applicant) is let through by a
    NetworkPolicy on the other's pods, and the ConfigMap names the other's Service."""
    _name, manifests = overlay
    [config] = of_kind(manifests, "ConfigMap").values()
    admitted: dict[str, set[str]] = {}
    for policy in of_kind(manifests, "NetworkPolicy").values():
        target = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        for rule in policy["spec"].get("ingress", []):
            for source in rule.get("from", []):
                caller = source.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
                if target and caller:
                    admitted.setdefault(target, set()).add(caller)
    for service in sorted(set(SETTINGS) - {"gateway"}):
        for other in services_asked_by(service):
            assert service in admitted.get(other, set()), f"no NetworkPolicy lets {service} reach {other}"
            assert config["data"][f"{other.upper()}_URL"] == f"http://{other}:{port_of(other)}"
