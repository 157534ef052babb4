"""The bench's output: progress on stderr while it runs, then one table on stdout, and the JSON file.

The only module of the bench that prints (ruff's T20 is lifted for it alone).
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.targets import ceiling_of, cpu_ms_per_acceptance, targets

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_LABELS = {"status_tab": "status tab", "search": "search", "detail": "detail"}


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def write_json(results: dict[str, Any], stamp: str) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return path


def table(results: dict[str, Any]) -> None:
    """Every figure of the run, in the issue's order; bench/README.md says how to read them."""
    _header(results["machine"], results["options"])
    if "broker" in results:
        _broker(results["broker"])
    if "pipeline" in results:
        _pipeline(results["pipeline"], results.get("broker"))
    for reads in results.get("reads", []):
        _reads(reads, results["options"])
    if "floor" in results:
        _floor(results["floor"])
    print("   [3] CPU time each process used during the pass, divided by the requests (acceptances) it served:")
    print("       unlike the rates and the latencies, it hardly moves when something else competes for the cores")
    _memory(results)
    if "documents" in results:
        _documents(results["documents"])
    _targets(results)
    _profiles(results)
    load = " ".join(map(str, results["load_average_at_end"]))
    print(f"\nelapsed {_duration(results['elapsed_seconds'])}; load average at end {load}")


def _header(machine: dict[str, Any], options: dict[str, Any]) -> None:
    load = " ".join(map(str, machine["load_average_at_start"]))
    changes = ", uncommitted changes" if machine["uncommitted_changes"] else ""
    print(f"\nhoso bench  {machine['started_at']}  commit {machine['commit']}{changes}  Python {machine['python']}")
    print(f"{machine['cores']} cores, load average at start {load} (1/5/15 min; anything else running on the "
          f"machine slows every figure)  namespace {options['namespace']}")


def _broker(broker: dict[str, Any]) -> None:
    _section("1  BROKER CEILING", f"plain aio-pika, durable quorum queue, persistent {broker['message_bytes']}-byte "
             "messages")
    rows = (("publish, each confirm awaited (as the services publish)", broker["publish_confirm_each_per_s"]),
            (f"publish, {broker['in_flight']} confirms in flight", broker["publish_pipelined_per_s"]),
            (f"consume, manual ack for each, prefetch {broker['prefetch']}", broker["consume_ack_each_per_s"]))
    for label, per_second in rows:
        print(f"   {label:<58}{per_second:>9,.0f} msg/s")


def _pipeline(pipeline: dict[str, Any], broker: dict[str, Any] | None) -> None:
    _section("2  PIPELINE", "every service its own process over RabbitMQ, stores in memory; latencies in ms")
    print(f"   {'':36}{'n':>6}{'per s':>9}{'p50':>9}{'p95':>9}{'p99':>9}")
    submit = pipeline["submit"]
    _latency_row(f"submit, gateway ({submit['concurrency']} citizens) [1]", submit["n"], submit["per_s"], submit,
                 "dossiers")
    for key, label in (("accept_at_rate", "accept at {offered:g}/s offered [2]"), ("accept_flat_out",
                                                                                   "accept flat out [2]")):
        phase = pipeline[key]
        name = label.format(offered=phase["offered_per_s"] or 0)
        _latency_row(name, phase["visible"]["n"], phase["transitions_per_s"], phase["visible"], "transitions")
        _latency_row("  its outcome event at the staff tool", phase["outcome"]["n"], None, phase["outcome"], "")
        lost = phase["not_visible"] + phase["rejected"]
        if lost:
            print(f"   !! {phase['not_visible']} never visible, {phase['rejected']} refused")
    flat = pipeline["accept_flat_out"]
    print("   [1] create + submit, each answered once the read model shows it (read-your-writes)")
    print("   [2] from the broker's confirm of `staff.accept` to the read model showing the dossier received")
    if broker:
        ceiling = ceiling_of(broker)
        messages = flat["messages_per_acceptance"]
        print(f"   flat-out rate / broker ceiling ({ceiling:,.0f} msg/s, the slower way of step 1): "
              f"{flat['transitions_per_s'] / ceiling:.1%}; with the {messages:g} messages published per acceptance,")
        print(f"   the broker carried {flat['transitions_per_s'] * messages:,.0f} msg/s, "
              f"{flat['transitions_per_s'] * messages / ceiling:.0%} of its ceiling")
    print(f"   CPU ms per acceptance, flat out [3]: {_per_acceptance(flat)}")
    _machine(flat)
    _settled(flat)
    for in_stores, filled in pipeline.get("stores_filled", {}).items():
        share = f", {filled['transitions_per_s'] / ceiling_of(broker):.1%} of the ceiling" if broker else ""
        print(f"   flat out with {int(in_stores):,} dossiers already in the stores: {filled['dossiers']} acceptances, "
              f"{_num(filled['transitions_per_s'])} a second{share}, visible p50 "
              f"{_num(filled['visible']['p50_ms'])} ms")
        print(f"     CPU ms per acceptance [3]: {cpu_ms_per_acceptance(filled)} in all: {_per_acceptance(filled)}")
        _machine(filled)
        _settled(filled)


def _machine(flat: dict[str, Any]) -> None:
    """What the whole machine spent on the pass: the services above, the broker, the bench's own clients."""
    if not (machine := flat.get("machine_cpu_seconds")):
        return
    per = 1000 / flat["dossiers"]
    services = sum(flat["cpu_seconds"].values())
    broker = machine.get("broker")
    known = services + machine["bench"] + (broker or 0.0)
    parts = [f"services {services * per:.1f}", *([f"broker {broker * per:.1f}"] if broker is not None else []),
             f"the bench {machine['bench'] * per:.1f}", f"the rest {max(machine['busy'] - known, 0.0) * per:.1f}"]
    print(f"     the machine: {machine['cores_busy']:g} of {os.cpu_count()} cores busy over the pass; CPU ms per "
          f"acceptance: {', '.join(parts)}")


def _settled(flat: dict[str, Any]) -> None:
    """The same CPU counted until the services were idle again, slips' receipts and notify's mails included."""
    if settled := flat.get("settled"):
        whole = {**flat, "cpu_seconds": settled["cpu_seconds"]}
        print(f"     counted until every service was idle again ({settled['after_visible_seconds']} s after the last "
              f"was visible): {cpu_ms_per_acceptance(whole)} in all: {_per_acceptance(whole)}")


def _per_acceptance(flat: dict[str, Any]) -> str:
    return _cpu({name: round(1000 * seconds / flat["dossiers"], 1) for name, seconds in
                 flat["cpu_seconds"].items() if seconds >= 0.05 * flat["dossiers"] / 1000})




def _reads(reads: dict[str, Any], options: dict[str, Any]) -> None:
    _section("3  READS", f"through the gateway, {options['reads']['concurrency']} concurrent, {reads['engine']}; "
             "latencies in ms")
    print(f"   {'dossiers':>9}  {'read':<11}{'n':>6}{'per s':>9}{'p50':>9}{'p99':>9}   CPU ms per request [3]")
    for size, figures in reads["by_size"].items():
        for index, endpoint in enumerate(_LABELS):
            first = f"{int(size):>9,}" if index == 0 else f"{'':>9}"
            _read_row(first, endpoint, figures[endpoint])
        load = figures["load"]
        print(f"   {'':>9}  loaded in {load['seed_seconds']} s, taken in by the query service in "
              f"{load['catch_up_seconds']} s")
    if restart := reads.get("restart"):
        print(f"   the query service started again on its journal of {restart['dossiers']:,} dossiers, to /readyz: "
              f"{restart['after_kill_seconds']} s after a SIGKILL, {restart['after_stop_seconds']} s after a graceful "
              f"stop (then {restart['peak_memory_mb_after_stop']} MB)")


def _floor(floor: dict[str, Any]) -> None:
    print(f"   {'floor':>9}  (a bare FastAPI app in its own process answering the same JSON)")
    for endpoint in _LABELS:
        _read_row(f"{'':>9}", endpoint, floor[endpoint])


def _read_row(first: str, endpoint: str, row: dict[str, Any]) -> None:
    cpu = ", ".join(f"{name} {value}" for name, value in row["cpu_ms_per_request"].items())
    print(f"   {first}  {_LABELS[endpoint]:<11}{row['n']:>6}{_num(row['per_s']):>9}{_num(row['p50_ms']):>9}"
          f"{_num(row['p99_ms']):>9}   {cpu}{_errors(row)}")


def _memory(results: dict[str, Any]) -> None:
    if not {"pipeline", "reads", "floor"} & results.keys():
        return  # the documents step reports its own memory figures
    _section("4  PEAK MEMORY", "VmHWM of each process, MB")
    if "pipeline" in results:
        print(f"   pipeline: {_cpu(results['pipeline']['peak_memory_mb'])}")
    for reads in results.get("reads", []):
        largest = f"{int(list(reads['by_size'])[-1]):,}"
        print(f"   reads ({reads['engine']}, up to {largest} dossiers): {_cpu(reads['peak_memory_mb'])}")
    if "floor" in results:
        print(f"   floor: {results['floor']['peak_memory_mb']['floor']}")


def _documents(documents: dict[str, Any]) -> None:
    embedded, distributed = documents["embedded"], documents["distributed"]
    _section("5  DOCUMENTS", f"a {embedded['file_mb']:g} MB PDF through the gateway, up and down "
             f"{embedded['repetitions']} times; MB/s the median")
    print(f"   {'':25}{'blobs in':<10}{'':<10}{'MB/s':>6}   {'peak growth, MB (worst time) [4]':<38}busiest")
    for label, blobs, transfer in (("embedded (one process)", embedded["blobs"], embedded),
                                   ("distributed", distributed["blobs"], distributed["transfer"])):
        for way in ("upload", "download"):
            _transfer_row(label if way == "upload" else "", blobs if way == "upload" else "", way, transfer)
    print(f"   [4] VmHWM after each transfer less VmRSS before it; busiest: its growth in file sizes, the goal under "
          f"{embedded['goal_file_sizes']:g}x")
    _sending(distributed["sending"])


def _transfer_row(label: str, blobs: str, way: str, transfer: dict[str, Any]) -> None:
    figures = transfer[way]
    # The processes that held next to nothing of it are left to the JSON.
    growth = {name: mb for name, mb in sorted(figures["peak_growth_mb"].items(), key=lambda item: -item[1])
              if mb >= 0.5}
    verdict = "" if figures["busiest_file_sizes"] < transfer["goal_file_sizes"] else "  !! over the goal"
    unreset = "" if figures["peaks_reset"] else "  (VmHWM not reset: growth past the old peak only)"
    print(f"   {label:<25}{blobs:<10}{way:<10}{_num(figures['mb_per_s']):>6}   {_cpu(growth) or '-':<38}"
          f"{figures['busiest_file_sizes']:.2f}x{verdict}{unreset}")


def _sending(sending: dict[str, Any]) -> None:
    files = sending["files_per_dossier"]
    print(f"   sending, distributed run ({sending['rounds']} rounds, {sending['concurrency']} citizens at once; "
          "latencies in ms) [5]")
    print(f"   {'':31}{'files':>6}{'n':>6}{'per s':>9}{'p50':>9}{'p95':>9}{'CPU ms [3]':>12}{'broker bytes':>14}")
    extra = files["with_extra_files"] - files["required_only"]
    for kind, label in (("required_only", "required only"),
                        ("with_extra_files", f"with {extra} more ({sending['extra_file_kb']:g} KB each)")):
        figures = sending[kind]
        submit = figures["submit"]
        print(f"   {label:<31}{files[kind]:>6}{submit['n']:>6}{_num(submit['per_s']):>9}{_num(submit['p50_ms']):>9}"
              f"{_num(submit['p95_ms']):>9}{_num(figures['cpu_ms_per_dossier_all']):>12}"
              f"{figures['broker']['bytes_per_dossier']:>14,}")
    ratio = sending["ratio"]
    print(f"   {'with more / required only':<43}{'':>9}{_ratio(ratio['submit_p50']):>9}{_ratio(ratio['submit_p95']):>9}"
          f"{_ratio(ratio['cpu_ms_per_dossier_all']):>12}{_ratio(ratio['broker_bytes_per_dossier']):>14}")
    for kind, label in (("required_only", "required only"), ("with_extra_files", "with more")):
        print(f"   CPU ms per dossier, {label}: {_cpu(sending[kind]['cpu_ms_per_dossier'])}")
    print("   [5] the submit alone, each answered once the read model shows it; CPU per dossier sent, each process, "
          "until all are quiet,")
    print("       less their idle use; broker: every message published meanwhile (the events carry the files' "
          "metadata only)")


def _targets(results: dict[str, Any]) -> None:
    found = targets(results)
    if not found:
        return
    _section("TARGETS", "issue 18's numbers to reach, from this run's figures")
    for target in found:
        print(f"   {target.figure:<78}{_num(target.value):>8}   {target.target:<48}{target.verdict}")


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _profiles(results: dict[str, Any]) -> None:
    profiles = list(results.get("pipeline", {}).get("profiles", []))
    profiles += [profile for reads in results.get("reads", []) for figures in reads["by_size"].values()
                 for profile in figures.get("profiles", [])]
    found = [profile for profile in profiles if profile]
    if not found:
        return
    _section("HOTTEST PATHS", "py-spy, 100 samples a second; shares of the samples taken while the process worked")
    for profile in found:
        if "skipped" in profile:
            print(f"   {profile['process']} during {profile['phase']}: not profiled: {profile['skipped']}")
            continue
        print(f"   {profile['process']} during {profile['phase']} (busy {profile['busy_share']:.0%} of the time); "
              f"stacks in {profile['raw_stacks']}")
        print("     by the project's frame nearest the top of the stack (where in our code the time goes):")
        for spot in profile["nearest"][:6]:
            print(f"     {spot['share']:>5.0%}  {spot['frame']}")
        print("     by the frame on top of the stack (self time: what the time is spent in):")
        for spot in profile["self"][:4]:
            print(f"     {spot['share']:>5.0%}  {spot['frame']}")


def _latency_row(label: str, n: int, per_s: float | None, latency: dict[str, Any], unit: str) -> None:
    print(f"   {label:<36}{n:>6}{_num(per_s):>9}{_num(latency['p50_ms']):>9}{_num(latency['p95_ms']):>9}"
          f"{_num(latency['p99_ms']):>9}  {unit}")


def _section(title: str, subtitle: str) -> None:
    print(f"\n{title}  ({subtitle})")


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _cpu(by_process: dict[str, float | None]) -> str:
    return ", ".join(f"{name} {value}" for name, value in by_process.items())


def _errors(row: dict[str, Any]) -> str:
    return f"  !! {row['errors']} errors: {row.get('first_error')}" if row.get("errors") else ""


def _duration(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"
