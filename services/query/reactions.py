"""The query service's bus reactions: fold each dossier event into the read model, keep notify's reports and
the slips issued."""

from datetime import UTC

from services.query.dependencies import Query
from services.query.domain.document import UnreadableEvent
from shared.logging import get_logger
from shared.messages import Envelope, utc_now
from shared.messaging.port import PermanentFailure
from shared.metrics import READ_MODEL_LAG

log = get_logger(__name__)


async def when_dossier_event_update_read_model(query: Query, event: Envelope) -> None:
    """Apply a dossier event to its read-model document; a gap raises `EventOutOfOrder` for a retry."""
    if event.dossier_id is None or event.version is None:
        # Without a version it cannot be ordered, and it is not a change of the dossier (an outcome, a
        # notification log): nothing for the read model to show.
        log.debug("event_without_version_ignored", event_id=event.id, type=event.type)
        return
    try:
        applied = await query.read_model.apply(event)
    except UnreadableEvent as error:
        raise PermanentFailure(str(error)) from error
    if applied:
        record_lag(event)
        await query.notifier.notify()


def record_lag(event: Envelope) -> None:
    """How late the read model shows this change: taken as it is applied, so an idle read model, which
    is up to date, does not look further behind with every second."""
    occurred_at = event.occurred_at if event.occurred_at.tzinfo else event.occurred_at.replace(tzinfo=UTC)
    READ_MODEL_LAG.labels("query").set(max((utc_now() - occurred_at).total_seconds(), 0.0))


async def when_notification_reported_record_it(query: Query, event: Envelope) -> None:
    """Keep notify's word on one delivery (`notification.sent` or `.failed`) for the dossier's detail."""
    await query.notifications.record(event)


async def when_slip_issued_record_it(query: Query, event: Envelope) -> None:
    """Keep a slip the slips service issued (`slip.issued`) for the dossier's detail."""
    if event.dossier_id is None:
        raise PermanentFailure(f"{event.type} {event.id} without a dossier id")
    await query.slips.record(event)
