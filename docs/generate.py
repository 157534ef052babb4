"""`python -m docs.generate` (`make docs`): write the published contracts from the code.

- `docs/asyncapi.yaml`: the event contract for staff tools (AsyncAPI 3.0), from shared/registry.py's
  models: one channel per routing key on the events or the commands exchange, each message's envelope and
  payload as JSON Schemas (pydantic's);
- `docs/openapi.json`: the gateway's HTTP API, as the gateway serves it at `/openapi.json`.

`--check` writes nothing and fails when a committed document differs from what the code says now.
"""

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from services.gateway.adapters.backends import SERVICES, Backends
from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.messages import SCHEMA_VERSION, Envelope, Payload
from shared.registry import MODELS

DOCS = Path(__file__).resolve().parent
ASYNCAPI, OPENAPI = DOCS / "asyncapi.yaml", DOCS / "openapi.json"
AMQP_BINDING_VERSION = "0.3.0"
# Who publishes what, by the module that holds the contract; staff commands and their answers by prefix.
PRODUCERS = {"shared.messages": "intake", "shared.lifecycle": "processing", "shared.payments": "payment",
             "shared.notifications": "notify", "shared.slips": "slips"}

DESCRIPTION = f"""The events and commands of hoso (Quản lý tình trạng hồ sơ), for the staff tools of the Reception and
Result Return Unit and anything else that follows dossiers.

Every message is a JSON envelope (`Envelope`): its `type` is also its routing key, `data` holds the
payload of that type. Events go to the topic exchange `hoso.events`, commands to `hoso.commands` (the
prefix is the deployment's NAMESPACE, `hoso` by default). Bind a queue of your own with patterns:
`dossier.#` follows every status change, `command.#` the answers to commands. Delivery is at least once:
drop duplicates by the envelope's `id`, and order a dossier's status changes by its `version`.

A staff tool sends a command (`staff.<action>`) with the dossier's id in the envelope and a staff actor;
the service holding the dossier answers with `command.completed` or `command.rejected`, whose `command_id`
and envelope `causation_id` are the command's envelope `id`. The envelope's `schema_version` is
{SCHEMA_VERSION}."""


def asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every registered message type."""
    _keys, definitions = models_json_schema(
        [(Envelope, "serialization"), *((model, "serialization") for model in MODELS)],
        ref_template="#/components/schemas/{model}")
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for model in MODELS:
        message_type = model.model_fields["message_type"].default
        is_command = message_type.startswith("staff.")
        exchange = "hoso.commands" if is_command else "hoso.events"
        channel, name = _identifier(message_type), model.__name__
        messages[name] = _message(model, message_type)
        channels[channel] = {
            "address": message_type,
            "title": message_type,
            "description": f"Routing key `{message_type}` on the topic exchange `{exchange}`.",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {"amqp": {
                "is": "routingKey", "bindingVersion": AMQP_BINDING_VERSION,
                "exchange": {"name": exchange, "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"},
            }},
        }
        operations[f"{'receive' if is_command else 'send'}-{channel}"] = {
            # From hoso's side: it sends events and receives commands.
            "action": "receive" if is_command else "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": _producer(model, message_type),
            "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "hoso — sự kiện và lệnh (events and commands)", "version": f"{SCHEMA_VERSION}.0.0",
                 "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {"rabbitmq": {
            "host": "rabbitmq:5672", "protocol": "amqp", "protocolVersion": "0.9.1",
            "description": "The deployment's RabbitMQ (in Kubernetes, the hoso-rabbitmq Service).",
        }},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": definitions["$defs"]},
    }


def openapi() -> dict[str, Any]:
    """The gateway's OpenAPI document, from an app built over backends it never calls."""
    settings = GatewaySettings(environment="development", dev_tokens=False, jwt_key="docs-only")
    app = create_app(settings, Backends.over_network({name: f"http://{name}" for name in SERVICES}))
    document: dict[str, Any] = app.openapi()
    return document


class _Dumper(yaml.SafeDumper):
    """YAML whose multi-line texts (the descriptions) stay readable blocks."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def rendered() -> dict[Path, str]:
    """Each document's path and the text it should have."""
    return {
        ASYNCAPI: yaml.dump(asyncapi(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110),
        OPENAPI: json.dumps(openapi(), indent=2, ensure_ascii=False) + "\n",
    }


def _message(model: type[Payload], message_type: str) -> dict[str, Any]:
    return {
        "name": message_type,
        "title": model.__name__,
        "summary": _summary(model),
        "contentType": "application/json",
        "payload": {"allOf": [
            {"$ref": "#/components/schemas/Envelope"},
            {"type": "object", "required": ["type", "data"], "properties": {
                "type": {"const": message_type},
                "data": {"$ref": f"#/components/schemas/{model.__name__}"},
            }},
        ]},
        "bindings": {"amqp": {"messageType": message_type, "bindingVersion": AMQP_BINDING_VERSION}},
    }


def _summary(model: type[Payload]) -> str:
    return " ".join((model.__doc__ or model.__name__).strip().split("\n\n")[0].split())


def _producer(model: type[Payload], message_type: str) -> str:
    if message_type.startswith("staff."):
        return "Sent by staff tools; carried out by the service holding the dossier."
    if message_type.startswith("command."):
        return "Published by the service that held the dossier, answering a staff command."
    return f"Published by {PRODUCERS[model.__module__]}."


def _identifier(message_type: str) -> str:
    """A channel's key: AsyncAPI 3 allows letters, digits, `-` and `_` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", message_type)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed documents; write nothing")
    arguments = parser.parse_args()
    stale = []
    for path, text in rendered().items():
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not arguments.check:
            path.write_text(text)
    if arguments.check and stale:
        sys.stderr.write(f"out of date: {', '.join(stale)}; run `make docs` and commit the result\n")
        return 1
    sys.stderr.write(f"{'written' if stale else 'up to date'}: {', '.join(stale) or 'asyncapi.yaml, openapi.json'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
