"""The Prometheus metrics every service exposes on `/metrics` (prometheus_client, the process's registry).

One registry per process. In the embedded run every service shares that process, so every metric carries
a `service` label and nothing collides; in the distributed run Prometheus adds the pod or job on top.
Labels stay bounded: HTTP routes are templates (never raw ids or query strings), message types outside
the registry are counted as `other`.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from shared.registry import PAYLOADS

# Counters get `_total` appended by prometheus_client: hoso_http_requests_total, hoso_messages_handled_total...
HTTP_REQUESTS = Counter("hoso_http_requests", "HTTP requests answered, by route template and status.",
                        ["service", "method", "route", "status"])
HTTP_DURATION = Histogram("hoso_http_request_duration_seconds", "Time to answer an HTTP request.",
                          ["service", "method", "route"])
MESSAGES_HANDLED = Counter("hoso_messages_handled", "Messages a consumer handled and acknowledged.",
                           ["service", "queue", "type"])
MESSAGES_RETRIED = Counter("hoso_messages_retried", "Messages whose handler failed, sent back for a retry.",
                           ["service", "queue", "type"])
MESSAGES_DEAD_LETTERED = Counter("hoso_messages_dead_lettered", "Messages given up on: in the dead letters.",
                                 ["service", "queue", "type"])
CONSUMER_LAG = Gauge("hoso_consumer_lag_messages", "Messages waiting in a consumed queue (sampled).",
                     ["service", "queue"])
OUTBOX_BACKLOG = Gauge("hoso_outbox_backlog", "Events stored in outboxes and not yet published.",
                       ["service", "collection"])
READ_MODEL_LAG = Gauge("hoso_read_model_lag_seconds",
                       "How late the read model applied its last event: applied at minus occurred at.", ["service"])
UNCLOSED_GAPS = Gauge("hoso_read_model_unclosed_gaps",
                      "Dossiers whose read model has waited past the bound for a missing version.", ["service"])

OTHER = "other"


def service_of_queue(queue: str) -> str:
    """The service consuming `queue`: each service's queues are named after it (`query.notifications`)."""
    return queue.split(".", 1)[0]


def message_type_label(message_type: str) -> str:
    # A type off the wire is whatever a publisher wrote: only the known ones become label values.
    return message_type if message_type in PAYLOADS else OTHER


def count_handled(queue: str, message_type: str) -> None:
    MESSAGES_HANDLED.labels(service_of_queue(queue), queue, message_type_label(message_type)).inc()


def count_retried(queue: str, message_type: str | None) -> None:
    MESSAGES_RETRIED.labels(service_of_queue(queue), queue, message_type_label(message_type or "")).inc()


def count_dead_lettered(queue: str, message_type: str | None) -> None:
    MESSAGES_DEAD_LETTERED.labels(service_of_queue(queue), queue, message_type_label(message_type or "")).inc()


def metrics_router() -> APIRouter:
    """`GET /metrics` in Prometheus' text format; left out of the published API."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        # Behind the Ingress (a proxy sets X-Forwarded-For) the traffic figures are nobody's business;
        # Prometheus scrapes the pods directly.
        if "x-forwarded-for" in request.headers:
            return Response(status_code=404)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
