"""`python -m shared.healthcheck`: a container's health check, true when its service's `/healthz` answers 200.

Every image runs it (HEALTHCHECK); the service listens on PORT, on every interface, in the container.
"""

import os
import sys
import urllib.request


def healthy(port: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(0 if healthy(os.environ.get("PORT", "8000")) else 1)
