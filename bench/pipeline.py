"""Step 2, the pipeline: the services as separate processes over RabbitMQ, dossiers submitted through the
gateway and accepted by `staff.accept` commands, first at a fixed offered rate, then flat out.

The latency measured is from a command's acceptance (the broker's publisher confirm of `staff.accept`:
from then on the broker answers for it) to its visibility in the read model (the query service answers
`GET /dossiers/{id}/version` with the version the acceptance made; see bench.visibility).
"""

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench import report
from bench.citizens import create_and_submit, sign_in
from bench.load import closed_loop
from bench.machine import cpu_between, cpu_reading
from bench.processes import cpu_used
from bench.staff_tool import StaffTool
from bench.stats import latency_summary, rate
from bench.tap import BrokerTap
from bench.visibility import VisibilityWatcher

CpuMeter = Callable[[], dict[str, float]]


@dataclass(frozen=True)
class PipelineOptions:
    at_rate: int  # dossiers accepted at the fixed offered rate
    rate: float  # commands per second offered
    flat_out: int  # dossiers accepted flat out
    concurrency: int  # citizens submitting at once
    in_flight: int = 64  # unconfirmed commands at once, flat out


@dataclass(frozen=True)
class Submitted:
    dossier_id: str
    version: int


# The services together spend a few CPU ms a second waiting (heartbeats, outbox polls, lag samples): below
# this in a second, nothing of the commands is left to do. And a bound, in case something never settles.
IDLE_CPU_SECONDS = 0.05
SETTLE_SECONDS = 600.0


class Pipeline:
    """The running product seen from outside: citizens at the gateway, a staff tool on the broker."""

    def __init__(self, gateway_url: str, query_url: str, amqp_url: str, namespace: str, cpu: CpuMeter) -> None:
        self.gateway_url = gateway_url
        self.query_url = query_url
        self.amqp_url = amqp_url
        self.namespace = namespace
        self.cpu = cpu
        self._submitted = 0

    async def run(self, options: PipelineOptions) -> dict[str, Any]:
        before = self.cpu()
        dossiers, submit_figures = await self.submit(options.at_rate + options.flat_out, options.concurrency)
        submit_figures["cpu_seconds"] = cpu_used(before, self.cpu())
        async with StaffTool(self.amqp_url, self.namespace) as staff:
            before = self.cpu()
            at_rate = await self.accept(staff, dossiers[: options.at_rate], options.rate, options.in_flight)
            at_rate["cpu_seconds"] = cpu_used(before, self.cpu())
            async with BrokerTap(self.amqp_url, self.namespace) as tap:
                before, machine = self.cpu(), cpu_reading()
                flat_out = await self.accept(staff, dossiers[options.at_rate:], None, options.in_flight)
                flat_out["cpu_seconds"] = cpu_used(before, self.cpu())
                flat_out["machine_cpu_seconds"] = cpu_between(machine, cpu_reading())
                flat_out["settled"] = await self.settled(before)
                flat_out["messages_per_acceptance"] = round(await tap.published() / len(dossiers[options.at_rate:]), 1)
        return {"submit": submit_figures, "accept_at_rate": at_rate, "accept_flat_out": flat_out}

    async def flat_out_with(self, in_stores: int, options: PipelineOptions) -> dict[str, Any]:
        """Fill the stores up to `in_stores` dossiers (submitted and accepted, unmeasured), then measure a
        flat-out pass of `options.flat_out` more acceptances: how the pipeline fares as its stores grow."""
        async with StaffTool(self.amqp_url, self.namespace) as staff:
            if (missing := in_stores - self._submitted) > 0:
                filling, _ = await self.submit(missing, options.concurrency)
                await self.accept(staff, filling, None, options.in_flight)
                await self.settled(self.cpu())  # so that the filling's receipts are not counted as the pass's
            dossiers, _ = await self.submit(options.flat_out, options.concurrency)
            async with BrokerTap(self.amqp_url, self.namespace) as tap:
                before, machine = self.cpu(), cpu_reading()
                flat_out = await self.accept(staff, dossiers, None, options.in_flight)
                flat_out["cpu_seconds"] = cpu_used(before, self.cpu())
                flat_out["machine_cpu_seconds"] = cpu_between(machine, cpu_reading())
                flat_out["settled"] = await self.settled(before)
                flat_out["messages_per_acceptance"] = round(await tap.published() / len(dossiers), 1)
        return {**flat_out, "in_stores": self._submitted - options.flat_out}

    async def settled(self, before: dict[str, float]) -> dict[str, Any]:
        """Wait until the services are all but idle (what an acceptance sets off after the read model shows it:
        slips' receipt, notify's mail with it attached); their CPU since `before`, and how long it took."""
        started = time.perf_counter()
        last = self.cpu()
        while time.perf_counter() - started < SETTLE_SECONDS:
            await asyncio.sleep(1.0)
            now = self.cpu()
            if sum(cpu_used(last, now).values()) < IDLE_CPU_SECONDS:
                break
            last = now
        return {"cpu_seconds": cpu_used(before, self.cpu()),
                "after_visible_seconds": round(time.perf_counter() - started, 1)}

    async def submit(self, count: int, concurrency: int) -> tuple[list[Submitted], dict[str, Any]]:
        """`count` dossiers created and submitted through the gateway by `concurrency` citizens at once."""
        submitted: list[Submitted] = []
        first = self._submitted
        self._submitted += count
        async with httpx.AsyncClient(base_url=self.gateway_url, timeout=30.0,
                                     limits=httpx.Limits(max_connections=concurrency)) as http:
            citizens = [await sign_in(http, f"bench-pipeline-{number:02d}") for number in range(concurrency)]

            async def job(number: int) -> None:
                dossier_id, version, _took = await create_and_submit(http, citizens[number % concurrency],
                                                                     first + number)
                submitted.append(Submitted(dossier_id, version))

            result = await closed_loop(job, concurrency=concurrency, count=count, max_seconds=600)
        if result.errors:
            # On a loaded machine the gateway's read-your-writes wait can run out (a 503 for a submit that
            # may well have been applied): those dossiers are left out, and the count goes to the report.
            report.progress(f"!! {result.errors} of {count} submissions failed ({result.first_error}); going on")
        # Each dossier made two transitions (draft created, submitted), both visible when the answer came.
        return submitted, {**result.summary(), "concurrency": concurrency,
                           "transitions_per_s": rate(2 * len(result.latencies), result.elapsed)}

    async def accept(self, staff: StaffTool, dossiers: list[Submitted], offered_rate: float | None,
                     in_flight: int) -> dict[str, Any]:
        """Accept each dossier by a command, at `offered_rate` a second or (None) as fast as confirms come."""
        watcher = VisibilityWatcher(self.query_url)
        watcher.start()
        accepted_at: dict[str, float] = {}
        command_of: dict[str, str] = {}
        started = time.perf_counter()
        gate = asyncio.Semaphore(in_flight)

        async def send(index: int, dossier: Submitted) -> None:
            if offered_rate is not None:
                await asyncio.sleep(max(0.0, started + index / offered_rate - time.perf_counter()))
            async with gate:
                command_id, confirmed = await staff.accept(dossier.dossier_id)
            accepted_at[dossier.dossier_id] = confirmed
            command_of[dossier.dossier_id] = command_id

        # Watched in the order sent, each from before its command goes: the watcher waits on it meanwhile.
        for dossier in dossiers:
            watcher.expect(dossier.dossier_id, dossier.version + 1)
        await asyncio.gather(*(send(index, dossier) for index, dossier in enumerate(dossiers)))
        sent_in = time.perf_counter() - started
        await watcher.finish()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await staff.wait_for_outcomes(list(command_of.values()))
        return _figures(dossiers, offered_rate, sent_in, accepted_at, watcher, command_of, staff.outcomes)


def _figures(dossiers: list[Submitted], offered_rate: float | None, sent_in: float, accepted_at: dict[str, float],
             watcher: VisibilityWatcher, command_of: dict[str, str],
             outcomes: dict[str, tuple[float, str]]) -> dict[str, Any]:
    seen = [dossier.dossier_id for dossier in dossiers if dossier.dossier_id in watcher.visible_at]
    answered = [dossier_id for dossier_id, command_id in command_of.items() if command_id in outcomes]
    first = min(accepted_at.values())
    last_visible = max((watcher.visible_at[dossier_id] for dossier_id in seen), default=first)
    return {
        "dossiers": len(dossiers), "offered_per_s": offered_rate, "commands_sent_per_s": rate(len(dossiers), sent_in),
        # Sustained: every acceptance, from the first confirm to the last one visible in the read model.
        "transitions_per_s": rate(len(seen), last_visible - first), "seconds": round(last_visible - first, 2),
        "visible": latency_summary([watcher.visible_at[dossier_id] - accepted_at[dossier_id] for dossier_id in seen]),
        "outcome": latency_summary([outcomes[command_of[dossier_id]][0] - accepted_at[dossier_id]
                                    for dossier_id in answered]),
        "not_visible": len(watcher.never_seen),
        "rejected": sum(1 for dossier_id in answered if outcomes[command_of[dossier_id]][1] != "command.completed"),
    }
