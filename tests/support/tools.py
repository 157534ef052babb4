"""Command-line tools some tests need (Debian's docker-compose and kubectl): found, or skipped loudly.

`make test` installs them when missing (as root on Debian, see the Makefile); nothing here installs
anything. Under CI=true a missing tool fails the test instead of skipping it.
"""

import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def require_tool(name: str, package: str) -> str:
    """The tool's path; otherwise skip the test loudly (fail it under CI=true)."""
    found = shutil.which(name)
    if found:
        return found
    reason = f"`{name}` is not installed: `make test` installs it (apt-get install {package}) when run as root"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    warnings.warn(f"SKIPPING: {reason}", stacklevel=2)
    pytest.skip(f"SKIPPED, NOT RUN: {reason}")


def run_tool(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """Run a tool to completion (with `env` on top of this environment); its standard output, or a failure
    that shows what it said."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env} if env else None)
    assert done.returncode == 0, f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return done.stdout
