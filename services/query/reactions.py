"""The query service's bus reactions: fold each dossier event into the read model, keep notify's reports and
the slips issued."""

from datetime import UTC

from services.query.dependencies import Query
from services.query.domain.document import UnreadableEvent
from services.query.domain.projection import APPLY
from shared.logging import get_logger
from shared.messages import Envelope, utc_now
from shared.messaging.port import PermanentFailure
from shared.metrics import READ_MODEL_LAG
from shared.producers import read_event

log = get_logger(__name__)

PROJECTED = frozenset(APPLY)
REPORTS = frozenset({"notification.sent", "notification.failed"})


async def when_dossier_event_update_read_model(query: Query, event: Envelope) -> None:
    """Apply a dossier event to its read-model document, or keep it until its predecessors arrive.

    Only the types the projection knows, from the service that writes each (`shared.producers`): anything
    else, a type that merely says where the dossier went (`to_status`) included, is dead-lettered."""
    read_event(event, PROJECTED)
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


SLIP_ANNOUNCEMENTS = frozenset({"slip.issued"})


async def when_notification_reported_record_it(query: Query, event: Envelope) -> None:
    """Keep notify's word on one delivery (`notification.sent` or `.failed`) for the dossier's detail."""
    read_event(event, REPORTS)
    await query.notifications.record(event)


async def when_slip_issued_record_it(query: Query, event: Envelope) -> None:
    """Keep a slip the slips service issued (`slip.issued`) for the dossier's detail."""
    read_event(event, SLIP_ANNOUNCEMENTS)  # only the slips service's
    if event.dossier_id is None:
        raise PermanentFailure(f"{event.type} {event.id} without a dossier id")
    await query.slips.record(event)
