"""The outcome events answering a staff command (command.completed / command.rejected), from processing.

The envelopes and the store of refusals are the kernel's (shared/staff_commands.py), which payment uses too.
"""

from services.processing.domain import Dossier
from shared.errors import DomainError
from shared.messages import Envelope
from shared.staff_commands import StaffCommand, completed_answer, rejected_answer

PRODUCER = "processing"

__all__ = ["PRODUCER", "StaffCommand", "completed", "rejected"]


def completed(command: StaffCommand, dossier: Dossier) -> Envelope:
    return completed_answer(command, PRODUCER, dossier.id, dossier.status.value, dossier.version)


def rejected(command: StaffCommand, dossier_id: str | None, refusal: DomainError) -> Envelope:
    return rejected_answer(command, PRODUCER, dossier_id, refusal)
