"""Which events the read model applies: the next version only, so duplicates and gaps are noticed.

An event after a gap is kept (parked) until the versions before it arrive; a duplicate is dropped.
"""

from enum import StrEnum


class Decision(StrEnum):
    APPLY = "apply"
    DUPLICATE = "duplicate"
    GAP = "gap"


def decide(stored_version: int | None, incoming_version: int) -> Decision:
    """Apply exactly the version after the stored one (1 when nothing is stored)."""
    current = stored_version or 0
    if incoming_version <= current:
        return Decision.DUPLICATE
    if incoming_version == current + 1:
        return Decision.APPLY
    return Decision.GAP
