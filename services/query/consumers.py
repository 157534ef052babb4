"""The bus entrypoints: every dossier event (`dossier.#`) into queue "query"; notify's delivery reports
(`notification.#`) into "query.notifications", which need no ordering and must never hold dossiers up."""

from services.query.adapters.notification_log import NotificationLog
from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.read_model import ReadModelRepository
from services.query.reactions import when_dossier_event_update_read_model, when_notification_reported_record_it
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
        await when_notification_reported_record_it(event, log)

    return Consumer(NOTIFICATIONS_QUEUE, ["notification.sent", "notification.failed"], on_notification_report)
