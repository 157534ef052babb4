"""`python -m bench` (`make bench`): how fast the pipeline and the API are, as one table and a JSON file.

Needs the RabbitMQ at AMQP_URL; with MONGO_URL the reads run against MongoDB too. NAMESPACE prefixes every
queue, exchange and database it makes (a fresh one by default), and it deletes them when done.
"""

import argparse
import os
import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from bench import machine, report, runner
from bench.pdfs import MEGABYTE
from bench.pipeline import PipelineOptions
from bench.reads import ReadsOptions
from bench.sending import SendingOptions
from bench.transfer import TransferOptions
from shared.logging import configure_logging
from shared.settings import DEFAULT_AMQP_URL

STEPS = ("broker", "pipeline", "reads", "documents")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(STEPS), help=f"which of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--broker-seconds", type=float, default=3.0, help="each way (default: %(default)s)")
    parser.add_argument("--rate", type=float, default=25.0, help="commands a second offered (default: %(default)s)")
    parser.add_argument("--at-rate", type=int, default=250, help="dossiers accepted at --rate (default: %(default)s)")
    parser.add_argument("--flat-out", type=int, default=500, help="dossiers accepted flat out (default: %(default)s)")
    parser.add_argument("--preloaded", default="1000,10000",
                        help="dossiers in the stores before each extra flat-out pass (default: %(default)s; '' none)")
    parser.add_argument("--submitters", type=int, default=8, help="citizens submitting at once (default: %(default)s)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="read-model sizes (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=16, help="reads at once (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=300, help="per read and size (default: %(default)s)")
    parser.add_argument("--max-seconds", type=float, default=15.0,
                        help="per read and size, the larger sizes stop on it (default: %(default)s)")
    parser.add_argument("--profile-size", type=int, default=10000, help="size the reads are profiled at")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy passes")
    parser.add_argument("--file-mb", type=float, default=10.0,
                        help="the large file sent up and down, MB (default: %(default)s, intake's limit)")
    parser.add_argument("--transfers", type=int, default=3, help="uploads and downloads of it (default: %(default)s)")
    parser.add_argument("--sending-dossiers", type=int, default=25,
                        help="dossiers sent of each kind, per round (default: %(default)s)")
    parser.add_argument("--sending-rounds", type=int, default=2, help="rounds of both kinds (default: %(default)s)")
    parser.add_argument("--extra-files", type=int, default=10,
                        help="files attached besides the required ones (default: %(default)s)")
    parser.add_argument("--extra-file-kb", type=float, default=64.0, help="each of them (default: %(default)s)")
    parser.add_argument("--document-blobs", choices=("memory", "files"), default="memory",
                        help="the distributed run's blob store (default: %(default)s, as make run-services)")
    parser.add_argument("--quick", action="store_true", help="small numbers: a check that it all runs")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        arguments.at_rate, arguments.flat_out, arguments.sizes, arguments.requests = 50, 100, "1000", 50
        arguments.preloaded = "300"
        arguments.broker_seconds, arguments.profile_size = 1.0, 1000
        arguments.transfers, arguments.sending_dossiers = 2, 8
    return arguments


def options_of(arguments: argparse.Namespace, run_id: str) -> runner.Options:
    sizes = tuple(int(size) for size in arguments.sizes.split(","))
    return runner.Options(
        amqp_url=os.environ.get("AMQP_URL") or DEFAULT_AMQP_URL,
        namespace=os.environ.get("NAMESPACE") or f"bench_{uuid4().hex[:8]}",
        mongo_url=os.environ.get("MONGO_URL") or None, broker_seconds=arguments.broker_seconds,
        pipeline=PipelineOptions(arguments.at_rate, arguments.rate, arguments.flat_out, arguments.submitters),
        reads=ReadsOptions(sizes, arguments.concurrency, arguments.requests, arguments.max_seconds),
        profile=not arguments.no_profile, profile_size=arguments.profile_size, run_id=run_id,
        preloaded=tuple(int(size) for size in arguments.preloaded.split(",") if size.strip()),
        transfer=TransferOptions(round(arguments.file_mb * MEGABYTE), arguments.transfers),
        sending=SendingOptions(arguments.sending_dossiers, arguments.sending_rounds, arguments.extra_files,
                               round(arguments.extra_file_kb * 1024), arguments.submitters),
        document_blobs=arguments.document_blobs)


def main(argv: list[str] | None = None) -> None:
    started = time.monotonic()
    arguments = parse(argv)
    configure_logging("bench", "WARNING")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    options = options_of(arguments, stamp)
    steps = set(arguments.steps.split(","))
    results: dict[str, Any] = {"machine": machine.describe(), "options": _public(options)}
    report.progress(f"load average at start {' '.join(map(str, results['machine']['load_average_at_start']))} "
                    f"on {results['machine']['cores']} cores; namespace {options.namespace}")
    if "broker" in steps:
        results["broker"] = runner.broker_ceiling(options)
    if "pipeline" in steps:
        results["pipeline"] = runner.pipeline(options)
    if "reads" in steps:
        results["reads"] = [runner.reads(options, mongo=False)]
        if options.mongo_url:
            results["reads"].append(runner.reads(options, mongo=True))
        results["floor"] = runner.floor(options, results["reads"][0].pop("bodies"))
        for reads in results["reads"][1:]:
            reads.pop("bodies")
    if "documents" in steps:
        results["documents"] = runner.documents(options)
    results["load_average_at_end"] = machine.load_average()
    results["elapsed_seconds"] = round(time.monotonic() - started, 1)
    path = report.write_json(results, stamp)
    report.table(results)
    print_path = path.relative_to(report.RESULTS_DIR.parent.parent)
    report.progress(f"results written to {print_path}")


def _public(options: runner.Options) -> dict[str, Any]:
    """The options as the JSON keeps them: no broker or database credentials."""
    return {"namespace": options.namespace, "mongodb": bool(options.mongo_url),
            "broker_seconds": options.broker_seconds, "pipeline": asdict(options.pipeline),
            "reads": {**asdict(options.reads), "sizes": list(options.reads.sizes)},
            "profile": options.profile, "profile_size": options.profile_size, "preloaded": list(options.preloaded),
            "documents": {"transfer": asdict(options.transfer), "sending": asdict(options.sending),
                          "blobs": options.document_blobs}}


if __name__ == "__main__":
    main()
