"""A staff tool of its own, as tests/e2e/test_staff_commands_over_amqp.py drives one: plain aio-pika,
commands on `<ns>.commands`, outcomes (`command.*`) read off `<ns>.events` through an exclusive queue."""

import asyncio
import json
import time
from types import TracebackType

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection

from bench.messages import accept_command, amqp_message


class StaffTool:
    """Sends `staff.accept` with publisher confirms and notes when each outcome event comes back."""

    def __init__(self, amqp_url: str, namespace: str) -> None:
        self._url = amqp_url
        self._namespace = namespace
        self._connection: AbstractRobustConnection | None = None
        self._commands: AbstractExchange | None = None
        # Command id -> (perf_counter when its outcome arrived, the outcome's type).
        self.outcomes: dict[str, tuple[float, str]] = {}
        self._arrived = asyncio.Event()

    async def __aenter__(self) -> "StaffTool":
        self._connection = await aio_pika.connect_robust(self._url)
        channel = await self._connection.channel(publisher_confirms=True)
        self._commands = await channel.get_exchange(f"{self._namespace}.commands")
        events = await channel.get_exchange(f"{self._namespace}.events")
        outcomes = await channel.declare_queue(exclusive=True)
        await outcomes.bind(events, routing_key="command.#")
        await outcomes.consume(self._on_outcome)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def accept(self, dossier_id: str) -> tuple[str, float]:
        """Send `staff.accept`; answers the command's id and the moment the broker confirmed it (accepted
        it for delivery): the start of the latency the bench measures."""
        assert self._commands is not None, "use StaffTool as an async context manager"
        command = accept_command(dossier_id)
        await self._commands.publish(amqp_message(command), routing_key=command.routing_key)
        return command.id, time.perf_counter()

    async def _on_outcome(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            envelope = json.loads(message.body)
            self.outcomes[envelope["data"]["command_id"]] = (time.perf_counter(), envelope["type"])
            self._arrived.set()

    async def wait_for_outcomes(self, command_ids: list[str]) -> None:
        """Return once every one of these commands is answered (the caller bounds the wait)."""
        while not all(command in self.outcomes for command in command_ids):
            self._arrived.clear()
            await self._arrived.wait()
