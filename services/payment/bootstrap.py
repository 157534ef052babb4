"""Wire payment: repositories, the online provider, handlers, consumers, outbox relays and internal API, on
the bus and store it is given (the tests call this too, with the in-process bus and the in-memory store)."""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from services.payment.adapters.providers.port import PaymentProvider
from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.adapters.providers.vnpay import VNPayProvider
from services.payment.adapters.references import PaymentReferences
from services.payment.adapters.refusals import CallbackRefusals
from services.payment.adapters.repository import PaymentRequests
from services.payment.api import payment_router
from services.payment.consumers import commands_consumer, payment_requests_consumer
from services.payment.dependencies import Payments
from services.payment.handlers.recalling_paid import recall_paid_fees
from services.payment.settings import PaymentSettings
from shared.holder.staff_commands import CommandOutcomes
from shared.messages import utc_now
from shared.messaging.port import Bus
from shared.outbox import OutboxRelay
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.timezones import local_zone
from shared.versions import version_router


def online_provider(settings: PaymentSettings) -> PaymentProvider:
    """The provider the settings choose; its secret stays in here and in it."""
    if settings.payment_provider == "vnpay":
        assert settings.vnpay_tmn_code and settings.vnpay_hash_secret  # the settings refuse to start without
        return VNPayProvider(
            tmn_code=settings.vnpay_tmn_code, hash_secret=settings.vnpay_hash_secret.get_secret_value(),
            payment_url=settings.vnpay_payment_url,
            return_url=f"{settings.public_base_url}/v1/payments/return/vnpay")
    return SandboxProvider(secret=settings.sandbox_secret.get_secret_value(),
                           public_base_url=settings.public_base_url,
                           max_age_seconds=settings.sandbox_max_age_seconds)


def bootstrap(
    settings: PaymentSettings, bus: Bus, store: DocumentStore, *, clock: Callable[[], datetime] = utc_now,
) -> Service:
    requests = PaymentRequests(store.db)
    refusals = CallbackRefusals(store.db)
    outcomes = CommandOutcomes(store.db)
    # A change's events ride in its payment request; a refusal's in a document of its own.
    relays = [OutboxRelay(collection, bus, service="payment", poll_seconds=settings.outbox_poll_seconds)
              for collection in (requests.collection, refusals.collection, outcomes.collection)]
    payments = Payments(
        requests=requests, references=PaymentReferences(store.db), refusals=refusals,
        online=online_provider(settings), zone=local_zone(settings.timezone),
        checkout_minutes=settings.checkout_minutes, published=relays[0].notify, refusal_stored=relays[1].notify,
        clock=clock,
    )
    router = payment_router(payments)
    router.include_router(version_router(requests.current_version))
    return Service(
        name="payment", bus=bus, store=store, router=router,
        consumers=[payment_requests_consumer(payments), commands_consumer(payments, outcomes, relays[2].notify)],
        outboxes=relays,
        on_start=[requests.ensure_indexes, refusals.ensure_indexes, outcomes.ensure_indexes,
                  partial(recall_paid_fees, payments)],
    )
