"""Step 5b, what sending a dossier costs with files attached: dossiers with the required documents only, and
dossiers with `extra_files` more, sent (`POST /v1/dossiers/{id}/submit`) through the gateway of the
distributed run.

Only the sending is measured. Each round first creates both kinds of dossiers and attaches their files,
and lets the pipeline go quiet; then each kind's batch is sent by `concurrency` citizens at once (each
answered once the read model and processing show it sent), and its measure ends when every process is
quiet again, so that the CPU time counted includes whatever a sending sets off downstream (processing's
take-over, the read model, notify). From each process's CPU time is taken what it uses idle over as long
(its polling loops and metrics, measured just before the batch, at the same store sizes: on the in-memory
engine a poll scans its collection). A tap on the broker meanwhile counts the messages and their bytes.

The events carry the files' metadata, never their bytes, so both kinds should cost the same but for a few
hundred bytes of metadata per file. Rounds alternate which kind goes first, so that the stores filling up
(the in-memory engine slows as they do) or a neighbour's load weighs on both alike.
"""

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.citizens import DOCUMENTS, REQUIRED_DOCUMENTS, create_with_documents, sign_in, submit
from bench.load import closed_loop
from bench.pdfs import pdf_of_size
from bench.pipeline import CpuMeter
from bench.processes import cpu_used
from bench.stats import latency_summary, rate
from bench.tap import BrokerTap

KINDS = ("required_only", "with_extra_files")
# Quiet: all the processes together under this much CPU over a window longer than their polling loops (the
# outbox relays' and notify's sender's, 1 s), so that nothing a sending set off is still waiting its turn.
QUIET_WINDOW_SECONDS = 1.5
QUIET_CPU_SECONDS = 0.05
QUIET_GIVE_UP_SECONDS = 60.0
IDLE_SECONDS = 3.0  # how long each process's idle CPU use is measured before each batch

Owned = tuple[dict[str, str], str]  # a citizen's Authorization header and one of their dossiers' ids


@dataclass(frozen=True)
class SendingOptions:
    dossiers: int  # of each kind, per round
    rounds: int
    extra_files: int  # attached besides the required ones
    extra_file_bytes: int
    concurrency: int  # citizens sending at once


@dataclass(frozen=True)
class Batch:
    latencies: list[float]  # seconds, one per dossier sent
    seconds: float
    cpu_seconds: dict[str, float]  # each process, from the first sending to the quiet after the last, less idle
    idle_seconds: dict[str, float]  # what was taken off as idle use
    traffic: dict[str, list[int]]  # routing key -> [messages, bytes]


async def measure(gateway_url: str, amqp_url: str, namespace: str, cpu: CpuMeter,
                  options: SendingOptions) -> dict[str, Any]:
    extra_pdf = pdf_of_size(options.extra_file_bytes, "hoso bench extra")
    # Spread over every document the procedure lists, required or not, as a citizen adding pages would.
    spread = [(DOCUMENTS[index % len(DOCUMENTS)], extra_pdf) for index in range(options.extra_files)]
    extras: dict[str, list[tuple[str, bytes]]] = {"required_only": [], "with_extra_files": spread}
    batches: dict[str, list[Batch]] = {kind: [] for kind in KINDS}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60.0,
                                 limits=httpx.Limits(max_connections=options.concurrency)) as http:
        citizens = [await sign_in(http, f"bench-sending-{number:02d}") for number in range(options.concurrency)]
        for round_number in range(options.rounds):
            prepared = {kind: await _prepare(http, citizens, extras[kind], options.dossiers) for kind in KINDS}
            for kind in KINDS if round_number % 2 == 0 else KINDS[::-1]:
                batches[kind].append(await _send(http, prepared[kind], cpu, amqp_url, namespace, options.concurrency))
    figures = {kind: _figures(batches[kind]) for kind in KINDS}
    return {"files_per_dossier": {"required_only": len(REQUIRED_DOCUMENTS),
                                  "with_extra_files": len(REQUIRED_DOCUMENTS) + options.extra_files},
            "extra_file_kb": round(options.extra_file_bytes / 1024, 1), "rounds": options.rounds,
            "concurrency": options.concurrency, **figures,
            "ratio": _ratios(figures["with_extra_files"], figures["required_only"])}


async def _prepare(http: httpx.AsyncClient, citizens: list[dict[str, str]], extra: list[tuple[str, bytes]],
                   count: int) -> list[Owned]:
    """`count` drafts with their files, ready to send, spread over the citizens (unmeasured)."""
    prepared: list[Owned] = []

    async def job(number: int) -> None:
        owner = citizens[number % len(citizens)]
        prepared.append((owner, await create_with_documents(http, owner, number, extra)))

    result = await closed_loop(job, concurrency=len(citizens), count=count, max_seconds=600)
    if result.errors:
        raise RuntimeError(f"{result.errors} dossiers could not be prepared: {result.first_error}")
    return prepared


async def _send(http: httpx.AsyncClient, dossiers: list[Owned], cpu: CpuMeter, amqp_url: str, namespace: str,
                concurrency: int) -> Batch:
    await until_quiet(cpu)  # what the preparation set off is done, and not counted
    idle = await _idle_rates(cpu)

    async def job(number: int) -> None:
        owner, dossier_id = dossiers[number]
        await submit(http, owner, dossier_id)

    async with BrokerTap(amqp_url, namespace) as tap:
        before, started = cpu(), time.perf_counter()
        result = await closed_loop(job, concurrency=concurrency, count=len(dossiers), max_seconds=600)
        await until_quiet(cpu)
        after, seconds = cpu(), time.perf_counter() - started
        traffic = await tap.traffic()
    if result.errors:
        raise RuntimeError(f"{result.errors} sendings failed: {result.first_error}")
    idle_use = {name: rate * seconds for name, rate in idle.items()}
    used = {name: max(0.0, spent - idle_use[name]) for name, spent in cpu_used(before, after).items()}
    return Batch(result.latencies, result.elapsed, used, idle_use, traffic)


async def until_quiet(cpu: CpuMeter) -> None:
    """Return once the processes together used less than QUIET_CPU_SECONDS in a QUIET_WINDOW_SECONDS."""
    deadline = time.monotonic() + QUIET_GIVE_UP_SECONDS
    last = cpu()
    while time.monotonic() < deadline:
        await asyncio.sleep(QUIET_WINDOW_SECONDS)
        now = cpu()
        if sum(now.values()) - sum(last.values()) < QUIET_CPU_SECONDS:
            return
        last = now
    raise RuntimeError(f"the services were still busy {QUIET_GIVE_UP_SECONDS:g} s after the last sending")


async def _idle_rates(cpu: CpuMeter) -> dict[str, float]:
    """Each process's CPU seconds per second while nothing is asked of it."""
    before = cpu()
    await asyncio.sleep(IDLE_SECONDS)
    return {name: seconds / IDLE_SECONDS for name, seconds in cpu_used(before, cpu()).items()}


def _figures(batches: list[Batch]) -> dict[str, Any]:
    latencies = [latency for batch in batches for latency in batch.latencies]
    sent = len(latencies)
    cpu = {name: sum(batch.cpu_seconds[name] for batch in batches) for name in batches[0].cpu_seconds}
    idle = sum(seconds for batch in batches for seconds in batch.idle_seconds.values())
    traffic: dict[str, list[int]] = {}
    for batch in batches:
        for key, (messages, size) in batch.traffic.items():
            counted = traffic.setdefault(key, [0, 0])
            counted[0] += messages
            counted[1] += size
    return {
        "submit": {**latency_summary(latencies), "per_s": rate(sent, sum(batch.seconds for batch in batches))},
        "cpu_ms_per_dossier": {name: round(1000 * seconds / sent, 2) for name, seconds in cpu.items()},
        "cpu_ms_per_dossier_all": round(1000 * sum(cpu.values()) / sent, 2),
        "idle_cpu_ms_per_dossier_taken_off": round(1000 * idle / sent, 2),
        "broker": {"messages_per_dossier": round(sum(m for m, _ in traffic.values()) / sent, 2),
                   "bytes_per_dossier": round(sum(b for _, b in traffic.values()) / sent),
                   "by_type": {key: {"per_dossier": round(messages / sent, 2), "bytes_each": round(size / messages)}
                               for key, (messages, size) in sorted(traffic.items())}},
    }


def _ratios(extra: dict[str, Any], required: dict[str, Any]) -> dict[str, Any]:
    """With the extra files over without: 1.0 is the same cost."""
    def ratio(mine: float | None, theirs: float | None) -> float | None:
        return round(mine / theirs, 2) if mine is not None and theirs else None

    return {"submit_p50": ratio(extra["submit"]["p50_ms"], required["submit"]["p50_ms"]),
            "submit_p95": ratio(extra["submit"]["p95_ms"], required["submit"]["p95_ms"]),
            "cpu_ms_per_dossier_all": ratio(extra["cpu_ms_per_dossier_all"], required["cpu_ms_per_dossier_all"]),
            "cpu_ms_per_dossier": {name: ratio(value, required["cpu_ms_per_dossier"][name])
                                   for name, value in extra["cpu_ms_per_dossier"].items()},
            "broker_bytes_per_dossier": ratio(extra["broker"]["bytes_per_dossier"],
                                              required["broker"]["bytes_per_dossier"])}
