"""The bench's steps in order, each starting and stopping the processes it needs and cleaning the broker."""

import asyncio
import json
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import broker, report, sending, services, transfer
from bench.messages import sample_event_body
from bench.pdfs import MEGABYTE
from bench.pipeline import Pipeline, PipelineOptions
from bench.processes import LOG_DIR, ROOT, Process, cpu_snapshot
from bench.profiling import RATE, hottest, start_recording, stop_recording
from bench.reads import Readers, ReadsOptions, catch_up, measure
from bench.seeding import JournalSeeder, MongoSeeder, Seeder
from bench.sending import SendingOptions
from bench.staff_tool import StaffTool
from bench.transfer import TransferOptions
from tests.support.processes import free_port

PROFILE_DOSSIERS = 150  # the extra flat-out batch the pipeline is profiled on
PROFILE_SECONDS = 3.0  # per endpoint, in the reads' profiling pass
RESTART_TIMEOUT_SECONDS = 900.0  # a journal never compacted took minutes to replay


@dataclass(frozen=True)
class Options:
    amqp_url: str
    namespace: str
    mongo_url: str | None
    broker_seconds: float
    pipeline: PipelineOptions
    reads: ReadsOptions
    profile: bool
    profile_size: int
    preloaded: tuple[int, ...]  # dossiers in the stores before each extra flat-out pass of the pipeline
    run_id: str
    transfer: TransferOptions
    sending: SendingOptions
    document_blobs: str  # where the distributed run keeps the files: "memory" (as make run-services) or "files"


def step_namespaces(namespace: str) -> list[str]:
    """Each step runs the product under a namespace of its own, so that none meets another's messages."""
    return [f"{namespace}_pipeline", f"{namespace}_reads", f"{namespace}_reads_mongo", f"{namespace}_documents"]


def broker_ceiling(options: Options) -> dict[str, Any]:
    report.progress("1/5 broker ceiling")
    return asyncio.run(broker.measure(options.amqp_url, options.namespace, sample_event_body(), options.broker_seconds))


def pipeline(options: Options) -> dict[str, Any]:
    report.progress("2/5 pipeline: starting the services")
    namespace = step_namespaces(options.namespace)[0]
    processes = services.product(services.every_service(),
                                 services.base_environment(options.amqp_url, namespace, services.Stores()))
    try:
        services.start(processes, options.run_id)
        gateway, query = processes[-1], _named(processes, "query")
        product = Pipeline(gateway.url, query.url, options.amqp_url, namespace, lambda: cpu_snapshot(processes))
        report.progress(f"2/5 pipeline: {options.pipeline.at_rate + options.pipeline.flat_out} dossiers submitted, "
                        f"{options.pipeline.at_rate} accepted at {options.pipeline.rate:g}/s, "
                        f"{options.pipeline.flat_out} flat out")
        figures = asyncio.run(product.run(options.pipeline))
        figures["stores_filled"] = {}
        for in_stores in options.preloaded:
            report.progress(f"2/5 pipeline: filling the stores to {in_stores:,} dossiers, then "
                            f"{options.pipeline.flat_out} more flat out")
            figures["stores_filled"][str(in_stores)] = asyncio.run(product.flat_out_with(in_stores, options.pipeline))
        if options.profile:
            cpu = figures["accept_flat_out"]["cpu_seconds"]
            # The busy ones: at least a third of the busiest's CPU time, flat out.
            busy = [process for process in processes if cpu[process.name] >= max(cpu.values()) / 3]
            report.progress(f"2/5 pipeline: profiling {', '.join(process.name for process in busy)} on "
                            f"{PROFILE_DOSSIERS} more acceptances")
            figures["profiles"] = asyncio.run(_profile_flat_out(product, busy, options))
        figures["peak_memory_mb"] = {process.name: process.read_peak_memory() for process in processes}
        return figures
    finally:
        services.stop(processes)
        services.clean_up(options.amqp_url, namespace)


async def _profile_flat_out(product: Pipeline, processes: list[Process], options: Options) -> list[dict[str, Any]]:
    dossiers, _ = await product.submit(PROFILE_DOSSIERS, options.pipeline.concurrency)
    async with StaffTool(product.amqp_url, product.namespace) as staff, \
            _recording(processes, f"{options.run_id}-pipeline", "accept flat out") as profiles:
        await product.accept(staff, dossiers, None, options.pipeline.in_flight)
    return profiles


@asynccontextmanager
async def _recording(processes: list[Process], prefix: str, phase: str) -> AsyncIterator[list[dict[str, Any]]]:
    """py-spy on each process while the block runs; the list it yields is filled with the profiles after."""
    outputs = {process.name: LOG_DIR / f"{prefix}-{process.name}.pyspy.txt" for process in processes}
    recorders = {process.name: start_recording(process.pid, outputs[process.name]) for process in processes}
    profiles: list[dict[str, Any]] = []
    started = time.perf_counter()
    try:
        yield profiles
    finally:
        seconds = time.perf_counter() - started
        for name, recorder in recorders.items():
            problem = stop_recording(recorder) if recorder else "py-spy is not installed"
            profiles.append({"phase": phase, "process": name, **_hotspots(outputs[name], seconds, problem)})


def reads(options: Options, mongo: bool) -> dict[str, Any]:
    engine = "MongoDB" if mongo else "in-memory engine"
    report.progress(f"3/5 reads ({engine}): starting query and gateway")
    namespace = step_namespaces(options.namespace)[2 if mongo else 1]
    journal_dir = LOG_DIR / f"{options.run_id}-journal"
    stores = services.Stores(mongo_url=options.mongo_url) if mongo else services.Stores(journal_dir=journal_dir)
    seeder: Seeder = (MongoSeeder(options.mongo_url, namespace) if mongo and options.mongo_url
                      else JournalSeeder(journal_dir, namespace))
    processes = services.product(["query"], services.base_environment(options.amqp_url, namespace, stores))
    try:
        # The gateway's readiness asks every service; only the query service runs here.
        services.start(processes, options.run_id, gateway_ready_path="/healthz")
        figures = asyncio.run(_reads_by_size(options, processes, seeder, engine))
        figures["peak_memory_mb"] = {process.name: process.read_peak_memory() for process in processes}
        if not mongo:
            figures["restart"] = _restarts(_named(processes, "query"), options)
        return figures
    finally:
        services.stop(processes)
        asyncio.run(seeder.close())
        services.clean_up(options.amqp_url, namespace)
        shutil.rmtree(journal_dir, ignore_errors=True)


def _restarts(query: Process, options: Options) -> dict[str, Any]:
    """The query service started again on the journal of the largest read model: after a SIGKILL (the
    journal as the reads left it), then after a graceful stop; seconds from the start to /readyz."""
    size = options.reads.sizes[-1]
    figures: dict[str, Any] = {"dossiers": size}
    for way, stop in (("after_kill", query.kill), ("after_stop", query.stop)):
        report.progress(f"3/5 reads: restarting the query service on {size:,} dossiers, {way.replace('_', ' ')}")
        stop()
        started = time.perf_counter()
        query.start(options.run_id)
        query.wait_ready(timeout=RESTART_TIMEOUT_SECONDS)
        figures[f"{way}_seconds"] = round(time.perf_counter() - started, 2)
    figures["peak_memory_mb_after_stop"] = query.read_peak_memory()
    return figures


async def _reads_by_size(options: Options, processes: list[Process], seeder: Seeder, engine: str) -> dict[str, Any]:
    gateway, query = processes[-1], _named(processes, "query")
    by_size: dict[str, Any] = {}
    bodies: dict[str, Any] = {}
    seeded = 0
    async with httpx.AsyncClient(base_url=gateway.url, timeout=120.0,
                                 limits=httpx.Limits(max_connections=options.reads.concurrency)) as http:
        for size in options.reads.sizes:
            report.progress(f"3/5 reads ({engine}): loading {size:,} dossiers")
            seconds = await _timed(seeder.add(seeded, size))
            seeded = size
            load = {"seed_seconds": seconds, "catch_up_seconds": await catch_up(query.url)}
            readers = await Readers.sign_in(http, size)
            report.progress(f"3/5 reads ({engine}): measuring at {size:,} dossiers")
            figures = await measure(http, readers, options.reads, lambda: cpu_snapshot(processes), bodies)
            by_size[str(size)] = {**figures, "load": load}
            if options.profile and size == options.profile_size:
                report.progress(f"3/5 reads ({engine}): profiling query and gateway at {size:,} dossiers")
                by_size[str(size)]["profiles"] = await _profile_reads(http, readers, processes, options, size)
    return {"engine": engine, "by_size": by_size, "bodies": bodies}


async def _profile_reads(http: httpx.AsyncClient, readers: Readers, processes: list[Process], options: Options,
                         size: int) -> list[dict[str, Any]]:
    async with _recording(processes, f"{options.run_id}-reads", f"reads at {size:,}") as profiles:
        # Every endpoint for a few seconds each, unmeasured: the profile is of the mix.
        await measure(http, readers, ReadsOptions((size,), options.reads.concurrency, 10**6, PROFILE_SECONDS),
                      lambda: cpu_snapshot(processes))
    return profiles


def floor(options: Options, bodies: dict[str, Any]) -> dict[str, Any]:
    report.progress("4/5 floor: a bare FastAPI app answering the same JSON")
    bodies_file = LOG_DIR / f"{options.run_id}-floor-bodies.json"
    bodies_file.parent.mkdir(parents=True, exist_ok=True)
    bodies_file.write_text(json.dumps(bodies, ensure_ascii=False))
    port = free_port()
    app = Process("floor", "bench.floor", {**services.base_environment(options.amqp_url, options.namespace,
                                                                       services.Stores()),
                                           "PORT": str(port), "FLOOR_BODIES": str(bodies_file)}, port)
    try:
        app.start(options.run_id)
        app.wait_ready("/healthz")
        figures = asyncio.run(_measure_floor(app, options))
        figures["peak_memory_mb"] = {"floor": app.read_peak_memory()}
        return figures
    finally:
        app.stop()


async def _measure_floor(app: Process, options: Options) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=app.url, timeout=60.0,
                                 limits=httpx.Limits(max_connections=options.reads.concurrency)) as http:
        return await measure(http, Readers([(0, {})]), options.reads, lambda: cpu_snapshot([app]))


def documents(options: Options) -> dict[str, Any]:
    """A large file through the gateway in both runs, then sending with and without extra files (distributed)."""
    report.progress(f"5/5 documents: a {options.transfer.file_bytes / MEGABYTE:g} MB file up and down "
                    f"{options.transfer.repetitions} times, embedded run")
    return {"embedded": _transfer_embedded(options), "distributed": _documents_distributed(options)}


def _transfer_embedded(options: Options) -> dict[str, Any]:
    port = free_port()
    environment = services.base_environment(options.amqp_url, options.namespace, services.Stores())
    # Every service in this one process, its stores and blobs in memory (build_embedded_app takes no other).
    embedded = Process("embedded", "services.embedded", {**environment, "PORT": str(port), "DEMO_DATA": "false"},
                       port)
    try:
        embedded.start(options.run_id)
        embedded.wait_ready()
        return {"blobs": "memory", **asyncio.run(transfer.measure(embedded.url, [embedded], options.transfer))}
    finally:
        embedded.stop()


def _documents_distributed(options: Options) -> dict[str, Any]:
    namespace = step_namespaces(options.namespace)[3]
    journal_dir = LOG_DIR / f"{options.run_id}-documents-journal"
    # "files": intake's blobs in files beside a journal, the nearest to GridFS's streaming a run without
    # MongoDB has; the journal then keeps every store's writes too (one fsync'd line each).
    stores = services.Stores(journal_dir=journal_dir) if options.document_blobs == "files" else services.Stores()
    processes = services.product(services.every_service(),
                                 services.base_environment(options.amqp_url, namespace, stores))
    try:
        services.start(processes, options.run_id)
        gateway = processes[-1]
        report.progress("5/5 documents: the same file, distributed run")
        figures: dict[str, Any] = {"blobs": options.document_blobs,
                                   "transfer": asyncio.run(transfer.measure(gateway.url, processes, options.transfer))}
        plan = options.sending
        report.progress(f"5/5 documents: sending {plan.rounds} x {plan.dossiers} dossiers with the required files "
                        f"only, and as many with {plan.extra_files} more")
        figures["sending"] = asyncio.run(sending.measure(gateway.url, options.amqp_url, namespace,
                                                         lambda: cpu_snapshot(processes), plan))
        return figures
    finally:
        services.stop(processes)
        services.clean_up(options.amqp_url, namespace)
        shutil.rmtree(journal_dir, ignore_errors=True)


def _hotspots(raw: Path, seconds: float, problem: str | None) -> dict[str, Any]:
    if problem is not None:
        return {"skipped": problem}
    profile = hottest(raw)
    spots = {key: [vars(spot) for spot in spots] for key, spots in
             (("nearest", profile.nearest), ("inclusive", profile.inclusive), ("self", profile.on_top))}
    # py-spy's clock and ours differ a little: a process busy all the time may come out above 100 %.
    return {"busy_share": min(1.0, round(profile.busy / (seconds * RATE), 2)), "raw_stacks": str(raw.relative_to(ROOT)),
            **spots}


async def _timed(work: Any) -> float:
    started = asyncio.get_running_loop().time()
    await work
    return round(asyncio.get_running_loop().time() - started, 2)


def _named(processes: list[Process], name: str) -> Process:
    return next(process for process in processes if process.name == name)
