"""What the operators' custom resources must hold, as JSON Schemas written here from their CRDs.

kubernetes-validate knows only Kubernetes' own kinds. These cover the fields each operator's CRD requires
(the MongoDB Community Operator's `MongoDBCommunity` v1, the RabbitMQ Cluster Operator's `RabbitmqCluster`
v1beta1, which requires none but the ones set here, and the Messaging Topology Operator's `User`,
`Permission` and `TopicPermission` v1beta1) and what hoso relies on: three RabbitMQ nodes for its quorum
queues, a replica set, one user per service in each.
"""

from typing import Any

NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}
RESOURCES = {"type": "object", "required": ["requests", "limits"]}

RABBITMQ_CLUSTER: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "rabbitmq.com/v1beta1"},
        "metadata": {"type": "object", "required": ["name"], "properties": {"name": NAME}},
        "spec": {
            "type": "object",
            "required": ["replicas", "resources", "persistence"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 1},
                "resources": RESOURCES,
                "persistence": {"type": "object", "required": ["storage"]},
                "rabbitmq": {"type": "object", "properties": {"additionalConfig": {"type": "string"}}},
                "override": {"type": "object"},
            },
            "additionalProperties": False,
        },
    },
}

MONGODB_COMMUNITY: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "mongodbcommunity.mongodb.com/v1"},
        "metadata": {"type": "object", "required": ["name"], "properties": {"name": NAME}},
        "spec": {
            "type": "object",
            "required": ["security", "type", "users", "version", "members"],
            "properties": {
                "type": {"enum": ["ReplicaSet"]},
                "members": {"type": "integer", "minimum": 1},
                "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
                "security": {
                    "type": "object",
                    "required": ["authentication"],
                    "properties": {"authentication": {
                        "type": "object", "required": ["modes"],
                        "properties": {"modes": {"type": "array", "minItems": 1, "items": {
                            "enum": ["SCRAM", "SCRAM-SHA-256", "SCRAM-SHA-1"]}}},
                    }},
                },
                "users": {"type": "array", "minItems": 1, "items": {
                    "type": "object",
                    "required": ["name", "passwordSecretRef", "roles", "scramCredentialsSecretName"],
                    "properties": {
                        "name": {"type": "string"},
                        "db": {"type": "string"},
                        "passwordSecretRef": {"type": "object", "required": ["name"]},
                        "roles": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["db", "name"]}},
                        "scramCredentialsSecretName": NAME,
                    },
                    "additionalProperties": False,
                }},
                "additionalMongodConfig": {"type": "object"},
                "statefulSet": {"type": "object", "required": ["spec"]},
            },
            "additionalProperties": False,
        },
    },
}

CLUSTER_REFERENCE = {"type": "object", "required": ["name"], "properties": {"name": NAME}}
USER_REFERENCE = {"type": "object", "required": ["name"], "properties": {"name": NAME}}


def _topology(spec: dict[str, Any]) -> dict[str, Any]:
    """A resource of the RabbitMQ Messaging Topology Operator (v1beta1), with the spec given."""
    return {"type": "object", "required": ["apiVersion", "kind", "metadata", "spec"], "properties": {
        "apiVersion": {"const": "rabbitmq.com/v1beta1"},
        "metadata": {"type": "object", "required": ["name"], "properties": {"name": NAME}},
        "spec": {"type": "object", "additionalProperties": False, **spec}}}


REGEX = {"type": "string", "minLength": 1}
USER = _topology({"required": ["rabbitmqClusterReference", "importCredentialsSecret"], "properties": {
    "rabbitmqClusterReference": CLUSTER_REFERENCE, "importCredentialsSecret": CLUSTER_REFERENCE,
    "tags": {"type": "array"}}})
PERMISSION = _topology({"required": ["rabbitmqClusterReference", "vhost", "userReference", "permissions"],
                        "properties": {
    "rabbitmqClusterReference": CLUSTER_REFERENCE, "vhost": {"type": "string"}, "userReference": USER_REFERENCE,
    "permissions": {"type": "object", "required": ["configure", "write", "read"], "additionalProperties": False,
                    "properties": {"configure": REGEX, "write": REGEX, "read": REGEX}}}})
TOPIC_PERMISSION = _topology({"required": ["rabbitmqClusterReference", "vhost", "userReference", "permissions"],
                              "properties": {
    "rabbitmqClusterReference": CLUSTER_REFERENCE, "vhost": {"type": "string"}, "userReference": USER_REFERENCE,
    "permissions": {"type": "object", "required": ["exchange", "write", "read"], "additionalProperties": False,
                    "properties": {"exchange": {"type": "string"}, "write": REGEX, "read": REGEX}}}})

SCHEMAS = {"RabbitmqCluster": RABBITMQ_CLUSTER, "MongoDBCommunity": MONGODB_COMMUNITY, "User": USER,
           "Permission": PERMISSION, "TopicPermission": TOPIC_PERMISSION}
