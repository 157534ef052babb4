"""Headless Chromium for the browser tests: Debian's `chromium` package, driven by Playwright for Python.

Playwright never downloads a browser here (`playwright install` is not used): it launches the system's
Chromium by its path. Where that is missing the tests skip loudly, and fail under CI=true, where
`make test` should have installed it.
"""

import os
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Quiet and self-contained: nothing fetched in the background, no first-run screens, no GPU.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def require_chromium() -> Path:
    """The Chromium binary, or a loud skip (a failure under CI=true) naming what to install."""
    problem = None
    if not CHROMIUM.exists():
        problem = (f"no Chromium at {CHROMIUM}: install Debian's package (`apt-get install chromium`, which "
                   "`make test` does when it runs as root) or set CHROMIUM_PATH")
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is missing: `make install` installs the dev dependencies"
    if problem is None:
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run: {problem}")
    warnings.warn(f"SKIPPING browser tests: {problem}", stacklevel=2)
    pytest.skip(f"SKIPPED, NOT RUN: {problem}")
