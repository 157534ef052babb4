"""A real SMTP server on loopback (aiosmtpd) for the tests: it keeps what it accepts, or answers every
message with a failure the test chooses, or is not started at all (the port is closed)."""

import asyncio
import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.processes import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no {subtype} part"
        content: str = part.get_content()
        return content


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        # Set to answer every message with this reply instead of accepting it ("451 ..." or "550 ...").
        self.reply_to_data: str | None = None
        self._controller: Controller | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self.start_blocking)

    async def stop(self) -> None:
        await asyncio.to_thread(self.stop_blocking)

    def start_blocking(self) -> None:
        """Start the server in its own thread (aiosmtpd's controller), for tests without an event loop."""
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop_blocking(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.rcpt_tos]

    # aiosmtpd's handler hook, called in the server's own thread.
    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.reply_to_data:
            return self.reply_to_data
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"
