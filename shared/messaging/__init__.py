"""Messaging: one port (`Bus`), two adapters (in-process and RabbitMQ), one contract suite for both."""

from shared.messaging.port import COMMANDS, EVENTS, Bus, Handler, PermanentFailure

__all__ = ["COMMANDS", "EVENTS", "Bus", "Handler", "PermanentFailure"]
