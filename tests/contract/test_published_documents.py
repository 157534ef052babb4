"""The published contracts, `docs/asyncapi.yaml` (events and commands) and `docs/openapi.json` (HTTP), are
what the code says now, and valid: regenerated in memory and compared with the committed files.
"""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema
import yaml

from docs.generate import ASYNCAPI, OPENAPI, asyncapi, openapi, rendered
from shared.commands import AcceptDossier, CommandCompleted
from shared.messages import Actor, DossierSubmitted, make_event
from shared.registry import PAYLOADS
from shared.statuses import Status
from tests.faults.test_query_killed_mid_stream import content

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.mark.parametrize("path", [ASYNCAPI, OPENAPI], ids=lambda path: path.name)
def test_the_committed_document_is_current(path: Path) -> None:
    expected = rendered()[path]
    assert path.exists() and path.read_text() == expected, (
        f"docs/{path.name} is out of date with the code: run `make docs` and commit it")


def test_the_event_contract_is_a_valid_asyncapi_document() -> None:
    schema = json.loads((SCHEMAS / "asyncapi-3.0.0.json").read_text())
    errors = [f"{list(error.path)}: {error.message}"
              for error in jsonschema.Draft7Validator(schema).iter_errors(asyncapi())]
    assert errors == []


def test_every_message_type_is_described_with_its_routing_key() -> None:
    document = asyncapi()
    addresses = {channel["address"]: channel for channel in document["channels"].values()}
    assert set(addresses) == set(PAYLOADS)
    for message_type, channel in addresses.items():
        exchange = channel["bindings"]["amqp"]["exchange"]["name"]
        assert exchange == ("hoso.commands" if message_type.startswith("staff.") else "hoso.events")
    _every_reference_resolves(document, document)


@pytest.mark.parametrize("envelope", [
    make_event(DossierSubmitted(from_status=Status.DRAFT, owner_id="citizen-1", content=content("Hồ sơ")),
               producer="intake", dossier_id="d-1", version=2, actor=Actor(kind="citizen", id="citizen-1")),
    make_event(AcceptDossier(), producer="staff-tool", dossier_id="d-1", version=1,
               actor=Actor(kind="staff", id="clerk-1")),
    make_event(CommandCompleted(command_id="c-1", command_type="staff.accept", dossier_id="d-1",
                                status="received", version=3),
               producer="processing", dossier_id="d-1", version=3, actor=Actor(kind="staff", id="clerk-1")),
], ids=lambda envelope: envelope.type)
def test_a_message_on_the_wire_matches_its_documented_schema(envelope: Any) -> None:
    document = asyncapi()
    registry = referencing.Registry().with_resource("asyncapi", referencing.Resource.from_contents(
        document, default_specification=referencing.jsonschema.DRAFT202012))
    [name] = [message for message in document["components"]["messages"]
              if document["components"]["messages"][message]["name"] == envelope.type]
    validator = jsonschema.Draft202012Validator({"$ref": f"asyncapi#/components/messages/{name}/payload"},
                                                registry=registry)
    validator.validate(json.loads(envelope.model_dump_json()))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**json.loads(envelope.model_dump_json()), "type": "dossier.something_else"})


def test_the_http_contract_has_the_public_api_and_not_the_operators_endpoints() -> None:
    paths = openapi()["paths"]
    assert {"/v1/dossiers", "/v1/dossiers/{dossier_id}", "/v1/lookup/{lookup_code}"} <= set(paths)
    assert "/metrics" not in paths


def _every_reference_resolves(node: Any, document: dict[str, Any]) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                assert part in target, f"{node['$ref']} does not resolve"
                target = target[part]
        for value in node.values():
            _every_reference_resolves(value, document)
    elif isinstance(node, list):
        for value in node:
            _every_reference_resolves(value, document)


def test_the_committed_contract_reads_as_yaml() -> None:
    assert yaml.safe_load(ASYNCAPI.read_text())["asyncapi"] == "3.0.0"
