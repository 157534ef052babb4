"""What processing's handlers and reactions are given: its store adapters and blob store, the catalogs, the
limits on result documents, the clock, new ids.

Wired once by bootstrap (and by the tests, through it). How a decision gets stored is the holder kit's
(shared/holder/write.py), which intake and payment use too.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from uuid import uuid4

from services.processing.adapters.repository import DossierRepository
from services.processing.domain.dossier import WorkingDays
from shared.blobs import BlobStore
from shared.messages import utc_now
from shared.procedures import ProcedureCatalog
from shared.statuses import Holder
from shared.timezones import local_day

# The name processing's events and answers go out under.
PRODUCER = Holder.PROCESSING.value


@dataclass
class Processing:
    """The dependencies every handler and reaction of processing needs."""

    dossiers: DossierRepository
    # The result documents' bytes, under the ids their dossiers' results refer to.
    blobs: BlobStore
    catalog: ProcedureCatalog
    calendar: WorkingDays
    next_lookup_code: Callable[[date], Awaitable[str]]
    zone: tzinfo
    max_document_bytes: int
    # The content types a result document may be, judged from its bytes (PDF, JPEG, PNG by default).
    accepted_result_types: tuple[str, ...]
    # Working days from a payment request within which a fee paid at the office or by post is due (the
    # office's data, shared/office.py).
    payment_days: int
    # "Sắp đến hạn" from this many working days before the due date (DUE_SOON_WORKING_DAYS, as query's).
    due_soon_working_days: int = 2
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: uuid4().hex

    def today(self, now: datetime | None = None) -> date:
        """The day it is (or `now` was) in Vietnam."""
        return local_day(now or self.clock(), self.zone)
