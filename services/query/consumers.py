"""The bus entrypoints: every dossier event (`dossier.#`) into queue "query"; notify's delivery reports
(`notification.#`) into "query.notifications", and the slips issued (`slip.issued`) into "query.slips": neither
needs ordering, and neither must ever hold dossiers up."""

from services.query.dependencies import Query
from services.query.reactions import (
    when_dossier_event_update_read_model,
    when_notification_reported_record_it,
    when_slip_issued_record_it,
)
from shared.messages import Envelope
from shared.runtime import Consumer

QUEUE = "query"
BINDINGS = ("dossier.#",)


def dossier_events_consumer(query: Query) -> Consumer:
    async def on_dossier_event(event: Envelope) -> None:
        await when_dossier_event_update_read_model(query, event)

    return Consumer(QUEUE, list(BINDINGS), on_dossier_event)


NOTIFICATIONS_QUEUE = "query.notifications"


def notification_reports_consumer(query: Query) -> Consumer:
    async def on_notification_report(event: Envelope) -> None:
        await when_notification_reported_record_it(query, event)

    return Consumer(NOTIFICATIONS_QUEUE, ["notification.sent", "notification.failed"], on_notification_report)


SLIPS_QUEUE = "query.slips"


def slip_announcements_consumer(query: Query) -> Consumer:
    async def on_slip_issued(event: Envelope) -> None:
        await when_slip_issued_record_it(query, event)

    return Consumer(SLIPS_QUEUE, ["slip.issued"], on_slip_issued)
