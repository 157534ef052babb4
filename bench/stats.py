"""Latency percentiles and rates, as the table shows them (milliseconds, per second); None when unknown."""

import math
from collections.abc import Sequence
from typing import Any


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, Any]:
    """p50, p95, p99 and the maximum, in milliseconds, and how many samples they come from."""
    ordered = sorted(seconds)
    return {"n": len(ordered), **{name: _ms(percentile(ordered, fraction)) for name, fraction in
                                  (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99), ("max_ms", 1.0))}}


def rate(count: int, seconds: float) -> float | None:
    return round(count / seconds, 1) if seconds > 0 else None


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)
