"""One RabbitMQ user per service and one for staff tools, and what each may do on the broker.

Each writes only where it publishes and reads only its own queues (issue 17: the broker itself keeps a
forged event out). Per namespace ``ns``:

- a service declares and reads its own queues (``ns.<service>``, ``ns.<service>.…``: their retry and dead
  companions too), binds them to the shared exchanges, and publishes on ``ns.events`` only the routing
  keys of the events it writes (RabbitMQ's topic permissions: the key is the type; shared/producers.py
  says who writes which), with the answers to staff commands for the holders that apply them;
- staff tools publish on ``ns.commands`` only ``staff.*`` and read their answers through server-named
  queues of their own; they publish no event;
- everyone may declare the three shared exchanges (every bus does at start); a service publishes its
  retries and dead letters on the exchanges beside its own companion queues (``ns.<service>….retry``,
  ``….dead``), so no service may write to the default exchange (which routes by queue name: into anyone's
  queue) or to ``ns.dead`` (into anyone's dead letters). The broker dead-letters through ``ns.dead`` and the
  default exchange itself, which needs no user's permission.

`python -m shared.broker_users --compose` writes what docker-compose.yml's broker loads at start
(deploy/rabbitmq/definitions.json: these users for namespace ``hoso`` with development passwords, and an
administrator for the management UI); on Kubernetes the users are the Messaging Topology Operator's
resources (deploy/base/broker-users.yaml), their passwords in Secrets.
"""

import base64
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field

from shared.producers import PRODUCERS
from shared.staff_actions import applied_by
from shared.statuses import Holder

# The services that hold a bus connection, and the staff tools' user.
SERVICES = ("intake", "processing", "payment", "query", "notify", "slips")
STAFF_TOOLS = "staff-tools"
COMMAND_ANSWERS = ("command.completed", "command.rejected")


@dataclass(frozen=True)
class BrokerUser:
    name: str
    configure: str
    write: str
    read: str
    # Per exchange (its full name): the routing keys this user may publish there.
    topic_writes: dict[str, str] = field(default_factory=dict)


def published_by(service: str) -> list[str]:
    """The routing keys `service` publishes on the events exchange."""
    keys = sorted(key for key, producer in PRODUCERS.items() if producer == service)
    if service in {holder.value for holder in Holder} and applied_by(Holder(service)):
        keys.extend(COMMAND_ANSWERS)
    return keys


def _alternatives(keys: list[str]) -> str:
    return "^(" + "|".join(re.escape(key) for key in keys) + ")$" if keys else "^$"


def broker_users(namespace: str) -> list[BrokerUser]:
    ns = re.escape(namespace)
    shared_exchanges = f"{ns}\\.(events|commands|dead)"
    users = []
    for service in SERVICES:
        own = f"{ns}\\.{re.escape(service)}(\\..+)?"
        users.append(BrokerUser(
            name=service, configure=f"^({shared_exchanges}|{own})$",
            write=f"^({ns}\\.events|{own})$", read=f"^({shared_exchanges}|{own})$",
            topic_writes={f"{namespace}.events": _alternatives(published_by(service))}))
    own = "amq\\.gen-.+"  # the server-named queues an answer-reading tool declares
    users.append(BrokerUser(
        name=STAFF_TOOLS, configure=f"^({shared_exchanges}|{own})$", write=f"^({ns}\\.commands|{own})$",
        read=f"^({ns}\\.(events|commands)|{own})$",
        topic_writes={f"{namespace}.commands": "^staff\\..+$", f"{namespace}.events": "^$"}))
    return users


def definitions(namespace: str, vhost: str = "/") -> dict[str, list[dict[str, object]]]:
    """The users' permissions in RabbitMQ's definitions format (users themselves carry no password here)."""
    users = broker_users(namespace)
    return {
        "permissions": [{"user": user.name, "vhost": vhost, "configure": user.configure, "write": user.write,
                         "read": user.read} for user in users],
        "topic_permissions": [{"user": user.name, "vhost": vhost, "exchange": exchange, "write": keys,
                               "read": ".*"} for user in users for exchange, keys in user.topic_writes.items()],
    }


def password_hash(password: str, salt: bytes) -> str:
    """RabbitMQ's `rabbit_password_hashing_sha256`: the 4-byte salt, then SHA-256 of salt and password."""
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def user_entry(name: str, password: str, salt: bytes, tags: list[str] | None = None) -> dict[str, object]:
    return {"name": name, "password_hash": password_hash(password, salt), "tags": tags or [],
            "hashing_algorithm": "rabbit_password_hashing_sha256"}


# docker-compose.yml only: the distributed run to try out, never production (deploy/ is).
COMPOSE_NAMESPACE = "hoso"
COMPOSE_OPERATOR = "hoso-operator"


def compose_password(user: str) -> str:
    return f"{user}-dev"


def compose_definitions() -> dict[str, list[dict[str, object]]]:
    """What the Compose broker loads: the vhost, the users with development passwords, their permissions."""
    defined = definitions(COMPOSE_NAMESPACE)
    names = [COMPOSE_OPERATOR, *(user.name for user in broker_users(COMPOSE_NAMESPACE))]
    # A salt of the name's own, so that the file is the same at every generation.
    defined["users"] = [user_entry(name, compose_password(name), hashlib.sha256(name.encode()).digest()[:4],
                                   ["administrator"] if name == COMPOSE_OPERATOR else None) for name in names]
    defined["vhosts"] = [{"name": "/"}]
    defined["permissions"].insert(0, {"user": COMPOSE_OPERATOR, "vhost": "/", "configure": ".*", "write": ".*",
                                      "read": ".*"})
    return defined


if __name__ == "__main__":
    chosen = compose_definitions() if "--compose" in sys.argv else definitions(
        next((argument for argument in sys.argv[1:] if not argument.startswith("-")), "hoso"))
    sys.stdout.write(json.dumps(chosen, indent=2, ensure_ascii=False) + "\n")
