"""The query service's bus reactions: fold each dossier event into the read model, keep notify's reports and
the slips issued."""

from datetime import UTC

from services.query.dependencies import Query
from services.query.domain.document import UnreadableEvent
from services.query.domain.intake_events import with_intake_content
from services.query.domain.projection import APPLY
from shared.dossier_content import IntakeUnreachable
from shared.logging import get_logger
from shared.messages import Envelope, utc_now
from shared.messaging.port import PermanentFailure
from shared.metrics import READ_MODEL_LAG
from shared.producers import read_event

log = get_logger(__name__)

PROJECTED = frozenset(APPLY)
# The events after which the applicant and the form may have changed: query asks intake for them.
CONTENT_EVENTS = frozenset({"dossier.draft_created", "dossier.draft_updated", "dossier.submitted"})
REPORTS = frozenset({"notification.sent", "notification.failed"})


async def when_dossier_event_update_read_model(query: Query, event: Envelope) -> None:
    """Apply a dossier event to its read-model document, or keep it until its predecessors arrive.

    Only the types the projection knows, from the service that writes each (`shared.producers`): anything
    else, a type that merely says where the dossier went (`to_status`) included, is dead-lettered."""
    read_event(event, PROJECTED)
    if event.type in CONTENT_EVENTS:
        event = await with_content(query, event)
    try:
        applied = await query.read_model.apply(event)
    except UnreadableEvent as error:
        raise PermanentFailure(str(error)) from error
    if applied:
        assert event.dossier_id is not None  # read_event checked it: a dossier event names its dossier
        record_lag(event)
        await query.notifier.notify(event.dossier_id)


async def with_content(query: Query, event: Envelope) -> Envelope:
    """The event with the applicant and the form intake holds now, which the event itself does not carry.

    Kept so with the event in query's own store: a rebuild replays it without asking intake again. Intake's
    answer is at least as new as the event (it stores a change before publishing it), so the detail shows
    what the citizen's command wrote once the read model reaches its version. A duplicate asks nothing."""
    assert event.dossier_id is not None and event.version is not None  # read_event refuses one without
    if (await query.read_model.current_version(event.dossier_id) or 0) >= event.version:
        return event
    try:
        answer = await query.contents.content(event.dossier_id)
    except IntakeUnreachable as error:
        log.warning("intake_unreachable", dossier_id=event.dossier_id, event_type=event.type, failure=str(error))
        raise
    if answer is None:  # a draft deleted since: its deletion follows, nothing to show meanwhile
        return event
    return with_intake_content(event, answer.content)


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
