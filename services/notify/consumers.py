"""The bus entrypoint: the status changes notify tells citizens about, the events that name a dossier's
owner, and the slips issued (which a message may carry), into queue "notify" on the events exchange."""

from services.notify.dependencies import Notify
from services.notify.domain.dossier_facts import FACT_TYPES
from services.notify.domain.notices import NOTICE_TYPES
from services.notify.reactions import when_slip_issued_release_delivery, when_status_changed_record_delivery
from shared.messages import Envelope
from shared.runtime import Consumer

QUEUE = "notify"
SLIP_ISSUED = "slip.issued"
BINDINGS = (*FACT_TYPES, *NOTICE_TYPES, SLIP_ISSUED)


def status_changes_consumer(notify: Notify) -> Consumer:
    async def on_status_change(event: Envelope) -> None:
        if event.type == SLIP_ISSUED:
            await when_slip_issued_release_delivery(notify, event)
        else:
            await when_status_changed_record_delivery(notify, event)

    return Consumer(QUEUE, list(BINDINGS), on_status_change)
