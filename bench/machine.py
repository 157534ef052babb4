"""What the figures were taken on: cores, load, versions; a reader judges them by it."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from typing import Any

from bench.processes import ROOT


def load_average() -> list[float]:
    """1, 5 and 15 minutes: above 0 before the bench starts, something else is using the cores."""
    return [round(value, 2) for value in os.getloadavg()]


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
