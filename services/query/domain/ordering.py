"""Which events the read model applies: the next version only, so duplicates and gaps are noticed."""

from enum import StrEnum


class Decision(StrEnum):
    APPLY = "apply"
    DUPLICATE = "duplicate"
    GAP = "gap"


class EventOutOfOrder(Exception):
    """An event arrived before one it follows; the bus redelivers it later, when the gap is filled."""

    def __init__(self, dossier_id: str, stored_version: int, incoming_version: int) -> None:
        self.dossier_id = dossier_id
        self.stored_version = stored_version
        self.incoming_version = incoming_version
        super().__init__(
            f"dossier {dossier_id}: version {incoming_version} arrived while {stored_version} is stored")


def decide(stored_version: int | None, incoming_version: int) -> Decision:
    """Apply exactly the version after the stored one (1 when nothing is stored)."""
    current = stored_version or 0
    if incoming_version <= current:
        return Decision.DUPLICATE
    if incoming_version == current + 1:
        return Decision.APPLY
    return Decision.GAP
