"""Noticing a broker gone silent: the AMQP heartbeat, sized so that a dead link is closed within a bound,
and a log line each time the connection is lost and comes back.

A link that is black-holed (packets dropped, sockets left open) never closes by itself: only heartbeats
tell. aiormq sends one every half heartbeat (one second at least), and on the same beat gives up on a
connection silent for three heartbeats and three seconds: the heartbeat asked of the broker is the largest
for which that fits within the bound. The robust connection then reconnects on its own; while it is away
the bus's `ping` is false, and /readyz says why.
"""

import asyncio
from typing import Any

from aio_pika.abc import AbstractRobustConnection

from shared.logging import get_logger

log = get_logger(__name__)

# How long a silent broker goes unnoticed at most, unless the settings say otherwise.
DEFAULT_HEARTBEAT_SECONDS = 30.0


def heartbeat_for(bound_seconds: float) -> int:
    """The heartbeat (whole seconds, at least 1) with which a silent link is closed within the bound."""
    def noticed_within(heartbeat: int) -> int:
        return 3 * (heartbeat + 1) + max(1, heartbeat // 2)

    heartbeat = 1
    while noticed_within(heartbeat + 1) <= bound_seconds:
        heartbeat += 1
    return heartbeat


def watch_connection(connection: AbstractRobustConnection, bound_seconds: float) -> None:
    """Log every loss of the connection (with why, never the URL and its password) and every recovery."""

    def lost(_sender: Any, error: BaseException | None = None, *_more: Any) -> None:
        if error is None or isinstance(error, asyncio.CancelledError):
            return  # closed on purpose: the service is stopping (aio-pika closes with a cancellation)
        log.error("bus.broker_unreachable", error=type(error).__name__, noticed_within_seconds=bound_seconds,
                  reconnecting=True)

    def back(_sender: Any, *_more: Any) -> None:
        log.info("bus.broker_reachable_again")

    connection.close_callbacks.add(lost)
    connection.reconnect_callbacks.add(back)
