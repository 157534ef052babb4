"""What intake's handlers and reactions need, wired once by bootstrap (and by the tests through it)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from services.intake.adapters import DossierRepository
from services.intake.domain import DocumentLimits
from shared.blobs import BlobStore
from shared.messages import utc_now
from shared.procedures import ProcedureCatalog

# The producer of every event intake publishes.
PRODUCER = "intake"


@dataclass
class Intake:
    """The dependencies of every intake handler and reaction."""

    repository: DossierRepository
    # The bytes of the files attached to the dossiers' documents, each under its file's id.
    blobs: BlobStore
    catalog: ProcedureCatalog
    limits: DocumentLimits
    # Wakes the outbox relay once a change and its events are stored.
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: str(uuid4())
    # How long a command naming a version intake has yet to be handed back waits for that hand-back.
    hand_back_wait_seconds: float = 2.0
