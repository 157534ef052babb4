"""What processing's handlers and reactions are given: its store adapters, the catalogs, the clock, new ids.

Wired once by bootstrap (and by the tests, through it). How a decision gets stored is the holder kit's
(shared/holder/write.py), which intake and payment use too.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from uuid import uuid4

from services.processing.adapters.documents import ResultDocuments
from services.processing.adapters.repository import DossierRepository
from services.processing.domain.dossier import WorkingDays
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
    documents: ResultDocuments
    catalog: ProcedureCatalog
    calendar: WorkingDays
    next_lookup_code: Callable[[date], Awaitable[str]]
    zone: tzinfo
    max_document_bytes: int
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: uuid4().hex

    def today(self, now: datetime | None = None) -> date:
        """The day it is (or `now` was) in Vietnam."""
        return local_day(now or self.clock(), self.zone)
