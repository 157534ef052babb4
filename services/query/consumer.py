"""The bus entrypoints: every dossier event (`dossier.#`) into queue "query"; notify's delivery reports
(`notification.#`) into "query.notifications", which need no ordering and must never hold dossiers up."""

from services.query.handlers import when_dossier_event_update_read_model
from services.query.notifications import NotificationLog
from services.query.notifier import AppliedNotifier
from services.query.repository import ReadModelRepository
from shared.messages import Envelope
from shared.runtime import Consumer

QUEUE = "query"
BINDINGS = ("dossier.#",)


def dossier_events_consumer(repo: ReadModelRepository, notifier: AppliedNotifier) -> Consumer:
    async def on_dossier_event(event: Envelope) -> None:
        await when_dossier_event_update_read_model(event, repo, notifier)

    return Consumer(QUEUE, list(BINDINGS), on_dossier_event)


NOTIFICATIONS_QUEUE = "query.notifications"


def notification_reports_consumer(log: NotificationLog) -> Consumer:
    async def on_notification_report(event: Envelope) -> None:
        await log.record(event)

    return Consumer(NOTIFICATIONS_QUEUE, ["notification.sent", "notification.failed"], on_notification_report)
