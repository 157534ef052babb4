"""The daily deadline watch (theo dõi thời hạn): warn of each dossier due soon or overdue, once per due date.

Every replica of processing runs it; the warnings given are in each dossier's record and every write is
conditional on its version, so replicas racing on one dossier publish its warning once (the loser loads
the record again and finds it warned).
"""

from datetime import date

from services.processing.dependencies import PRODUCER, Processing
from services.processing.domain import deadlines
from services.processing.domain.dossier import Dossier
from shared.holder.write import Change, write_change
from shared.logging import get_logger
from shared.messages import SYSTEM

log = get_logger(__name__)


async def warn_of_deadlines(processing: Processing, today: date) -> int:
    """Publish the warnings owed on `today` (a day in Vietnam); answers how many this call published."""
    due_by = processing.calendar.add_working_days(today, processing.due_soon_working_days)
    statuses = sorted(status.value for status in deadlines.WATCHED)
    published = 0
    for dossier_id in await processing.dossiers.at_risk_ids(statuses, due_by):

        async def decide(dossier: Dossier) -> Change[Dossier] | None:
            return deadlines.warn(dossier, today, processing.clock(), processing.calendar,
                                  processing.due_soon_working_days)

        written = await write_change(processing.dossiers, dossier_id, decide, producer=PRODUCER, actor=SYSTEM,
                                     published=processing.published)
        published += written.changed
    log.info("deadline_warnings_published", day=today.isoformat(), published=published)
    return published
