"""Wire notify: the recipient book, intake's contacts API, the delivery log, the mail transport the settings
choose, the sender, the outbox relay and the internal API, on the bus and store it is given (the tests call
this too)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from services.notify.adapters.delivery_log import DeliveryLog
from services.notify.adapters.dev_mailbox import DevMailbox
from services.notify.adapters.dev_sms_sink import DevSmsSink
from services.notify.adapters.dossier_book import DossierBook
from services.notify.adapters.esms import EsmsProvider
from services.notify.adapters.issued_slips import IssuedSlips
from services.notify.adapters.slips_client import SlipsClient
from services.notify.adapters.smtp import SmtpTransport
from services.notify.api import notify_router
from services.notify.consumers import status_changes_consumer
from services.notify.dependencies import Notify, Sending, SmsSending
from services.notify.domain.delivery import RetryPolicy
from services.notify.domain.mail import MailTransport, SlipSource
from services.notify.domain.rendering import Renderer
from services.notify.domain.sms import SmsProvider
from services.notify.settings import NotifySettings
from services.notify.workers import DeliverySender
from shared.dossier_content import ContactsSource, IntakeContents
from shared.logging import get_logger
from shared.messages import utc_now
from shared.messaging.port import Bus
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.timezones import local_zone

log = get_logger(__name__)


def bootstrap(
    settings: NotifySettings, bus: Bus, store: DocumentStore, *, clock: Callable[[], datetime] = utc_now,
    transport: MailTransport | None = None, slips: SlipSource | None = None, sms_provider: SmsProvider | None = None,
    contacts: ContactsSource | None = None,
) -> Service:
    """Notify on `bus` and `store`; the slips its messages carry from `slips`, or the slips service at
    SLIPS_URL; the owners' registered addresses and phones from `contacts`, or intake's API at INTAKE_URL."""
    deliveries = DeliveryLog(store.db)
    relay = OutboxRelay(deliveries.collection, bus, service="notify", poll_seconds=settings.outbox_poll_seconds)
    # Without SMTP_HOST, mail stays in the development mailbox: GET /mailbox shows it.
    mailbox = None if settings.uses_smtp else DevMailbox(store.db, clock)
    transport = transport or mailbox or SmtpTransport(settings)
    if settings.attach_slips and slips is None:
        slips = SlipsClient(base_url=settings.slips_url, timeout=settings.smtp_timeout_seconds)
    # Without SMS_PROVIDER, SMS stays in the development sink (GET /sms); none in production.
    sms_sink = DevSmsSink(store.db, clock) if settings.sms == "development" else None
    sms = sms_sending(settings, sms_provider or sms_sink)
    sender = DeliverySender(Sending(
        deliveries=deliveries, transport=transport,
        renderer=Renderer(settings.portal_url, settings.lookup_path),
        policy=RetryPolicy(settings.delivery_max_attempts, settings.delivery_first_retry_seconds,
                           settings.delivery_max_retry_seconds),
        sender_address=settings.smtp_from, lease=timedelta(seconds=settings.delivery_lease_seconds),
        slips=slips if settings.attach_slips else None, sms=sms,
        published=relay.notify, clock=clock,
    ), workers=settings.delivery_workers, poll_seconds=settings.delivery_poll_seconds)
    notify = Notify(book=DossierBook(store.db), deliveries=deliveries, catalog=load_catalog(),
                    zone=local_zone(settings.timezone), issued_slips=IssuedSlips(store.db),
                    attach_slips=settings.attach_slips,
                    contacts=contacts or IntakeContents(base_url=settings.intake_url,
                                                        wait_seconds=settings.intake_wait_seconds),
                    sends_sms=sms is not None, recorded=sender.wake,
                    published=relay.notify, clock=clock, division_mailboxes=settings.division_mailboxes,
                    staff_mailbox=settings.staff_mailbox)
    log.info("mail_transport", transport="smtp" if settings.uses_smtp else "development mailbox",
             tls=settings.tls_mode if settings.uses_smtp else None, sms=settings.sms)
    return Service(
        name="notify", bus=bus, store=store, router=notify_router(notify, mailbox, sms_sink),
        consumers=[status_changes_consumer(notify)], workers=[sender], outboxes=[relay],
        on_start=[deliveries.ensure_indexes, *([mailbox.ensure_indexes] if mailbox else []),
                  *([sms_sink.ensure_indexes] if sms_sink else [])],
    )


def sms_sending(settings: NotifySettings, given: SmsProvider | None) -> SmsSending | None:
    """The SMS provider the settings choose (or the one given, the tests'), or None: mail only."""
    provider = given
    if provider is None and settings.sms == "esms":
        assert settings.sms_api_key and settings.sms_secret_key and settings.sms_brandname  # the settings check
        provider = EsmsProvider(url=settings.sms_url, api_key=settings.sms_api_key.get_secret_value(),
                                secret_key=settings.sms_secret_key.get_secret_value(),
                                brandname=settings.sms_brandname, unicode=settings.sms_unicode,
                                sandbox=settings.sms_sandbox, timeout=settings.sms_timeout_seconds)
    if provider is None:
        return None
    return SmsSending(provider, unicode=settings.sms_unicode, max_length=settings.sms_length)
