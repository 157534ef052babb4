"""The broker topology the services make, asked of their own bootstraps: for clean-ups (the bench's, the
tests'), so that one never misses a queue a service adds later."""

import tempfile
from pathlib import Path

from services.intake.bootstrap import bootstrap as bootstrap_intake
from services.intake.settings import IntakeSettings
from services.notify.bootstrap import bootstrap as bootstrap_notify
from services.notify.settings import NotifySettings
from services.payment.bootstrap import bootstrap as bootstrap_payment
from services.payment.settings import PaymentSettings
from services.processing.bootstrap import bootstrap as bootstrap_processing
from services.processing.settings import ProcessingSettings
from services.query.bootstrap import bootstrap as bootstrap_query
from services.query.settings import QuerySettings
from services.slips.bootstrap import bootstrap as bootstrap_slips
from services.slips.settings import SlipsSettings
from shared.messaging.memory import InProcessBus
from shared.store.memory import MemoryStore


def consumed_queues() -> list[str]:
    """Every queue the services consume (each wired on fakes; nothing is started or connected)."""
    return [queue for queues in _queues_by_service().values() for queue in queues]


def queues_of(*services: str) -> list[str]:
    """The queues the named services consume ("query", "processing", ...): a test's clean-up after those."""
    by_service = _queues_by_service()
    unknown = set(services) - set(by_service)
    if unknown:
        raise ValueError(f"no such service: {sorted(unknown)}")
    return [queue for name in services for queue in by_service[name]]


def _queues_by_service() -> dict[str, list[str]]:
    bus = InProcessBus(namespace="topology-names")
    with tempfile.TemporaryDirectory(prefix="topology-names-") as certificates:  # slips makes one at wiring
        wired = [bootstrap_query(QuerySettings(), bus, MemoryStore("names")),
                 bootstrap_processing(ProcessingSettings(), bus, MemoryStore("names")),
                 bootstrap_payment(PaymentSettings(payment_provider="sandbox", environment="development"), bus,
                                   MemoryStore("names")),
                 bootstrap_notify(NotifySettings(), bus, MemoryStore("names")),
                 bootstrap_slips(SlipsSettings(dev_certificate_dir=Path(certificates)), bus, MemoryStore("names")),
                 bootstrap_intake(IntakeSettings(), bus, MemoryStore("names"))]
    return {service.name: [consumer.queue for consumer in service.consumers] for service in wired}
