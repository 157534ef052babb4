"""What the figures were taken on: cores, load, versions; a reader judges them by it."""

import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.processes import ROOT

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def load_average() -> list[float]:
    """1, 5 and 15 minutes: above 0 before the bench starts, something else is using the cores."""
    return [round(value, 2) for value in os.getloadavg()]


def cpu_reading() -> dict[str, float]:
    """The machine's CPU so far, to subtract: `busy` (every core's time not idle, /proc/stat), `broker` (the
    local RabbitMQ node's Erlang VM, when it runs here), `bench` (this process) and the wall clock."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    bench = os.times()
    reading = {"wall": time.monotonic(), "busy": (sum(ticks[:8]) - idle) / _TICKS_PER_SECOND,
               "bench": bench.user + bench.system}
    if (broker := _broker_pid()) is not None:
        fields = Path(f"/proc/{broker}/stat").read_text().rsplit(")", 1)[1].split()
        reading["broker"] = (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND
    return reading


def cpu_between(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Seconds of each reading between the two, and `cores_busy`: the busy seconds over the wall's."""
    used = {name: round(after[name] - before[name], 2) for name in before if name in after}
    used["cores_busy"] = round(used["busy"] / used["wall"], 2) if used["wall"] > 0 else 0.0
    return used


def _broker_pid() -> int | None:
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "beam.smp":
                return int(comm.parent.name)
        except OSError:  # gone meanwhile
            continue
    return None


def describe() -> dict[str, Any]:
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(), "load_average_at_start": load_average(),
        "python": platform.python_version(), "platform": platform.platform(terse=True),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _git(*arguments: str) -> str | None:
    try:
        answer = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return answer.stdout.strip() if answer.returncode == 0 else None
