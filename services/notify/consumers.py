"""The bus entrypoint: the status changes notify tells citizens about, and the events that name a
dossier's owner, into queue "notify" on the events exchange."""

from services.notify.dependencies import Notify
from services.notify.domain.dossier_facts import FACT_TYPES
from services.notify.domain.notices import NOTICE_TYPES
from services.notify.reactions import when_status_changed_record_delivery
from shared.messages import Envelope
from shared.runtime import Consumer

QUEUE = "notify"
BINDINGS = (*FACT_TYPES, *NOTICE_TYPES)


def status_changes_consumer(notify: Notify) -> Consumer:
    async def on_status_change(event: Envelope) -> None:
        await when_status_changed_record_delivery(notify, event)

    return Consumer(QUEUE, list(BINDINGS), on_status_change)
