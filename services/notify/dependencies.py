"""Notify's use cases share this: the dependencies they take, wired once by bootstrap (and by the tests).

Recording a delivery and sending it are separate: the status change is acknowledged as soon as what it
owes is recorded, and the sender (sending.py) works through the log at the mail server's pace.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from services.notify.delivery_log import DeliveryLog
from services.notify.dossier_book import DossierBook
from services.notify.errors import DeliveryNotFailed, DeliveryNotFound
from shared.logging import get_logger
from shared.messages import utc_now
from shared.procedures import ProcedureCatalog

log = get_logger(__name__)


@dataclass
class Notify:
    book: DossierBook
    deliveries: DeliveryLog
    catalog: ProcedureCatalog
    zone: tzinfo
    # Called when a pending delivery was recorded (wakes the sender), and when a report awaits its relay.
    recorded: Callable[[], None] = lambda: None
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now

    def procedure_name(self, code: str | None) -> str | None:
        return self.catalog.get(code).name if code and code in self.catalog else None


async def try_failed_delivery_again(notify: Notify, delivery_id: str) -> None:
    """An operator's second chance for a delivery that gave up (the mail server is fixed, say)."""
    if not await notify.deliveries.try_again(delivery_id, notify.clock()):
        if await notify.deliveries.find(delivery_id) is None:
            raise DeliveryNotFound(delivery_id=delivery_id)
        raise DeliveryNotFailed(delivery_id=delivery_id)
    notify.recorded()
    log.info("delivery_tried_again", delivery_id=delivery_id)
