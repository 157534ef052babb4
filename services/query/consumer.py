"""The bus entrypoint: every dossier event (`dossier.#` on the events exchange) into queue "query"."""

from services.query.handlers import when_dossier_event_update_read_model
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
