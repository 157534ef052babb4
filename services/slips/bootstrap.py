"""Wire the slips service: the dossier book, the slip register, the blob store, the signer (the configured
certificate, or a development one), intake's content API, the outbox relay and the internal API, on the bus
and store given."""

from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

from services.slips.adapters.dev_certificate import PASSWORD, ensure_development_certificate
from services.slips.adapters.dossier_book import DossierBook
from services.slips.adapters.signing import SlipSigner
from services.slips.adapters.slip_register import SlipRegister
from services.slips.api import slips_router
from services.slips.consumers import dossier_steps_consumer
from services.slips.dependencies import Slips
from services.slips.domain.kinds import Context
from services.slips.settings import SlipsSettings
from shared.blobs import BlobStore, open_blob_store
from shared.dossier_content import ContentSource, IntakeContents
from shared.logging import get_logger
from shared.messages import utc_now
from shared.messaging.port import Bus
from shared.office import load_office
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.timezones import local_zone

log = get_logger(__name__)


def bootstrap(
    settings: SlipsSettings, bus: Bus, store: DocumentStore, *, blobs: BlobStore | None = None,
    clock: Callable[[], datetime] = utc_now, contents: ContentSource | None = None,
) -> Service:
    """Slips on `bus` and `store`; the applicant from `contents`, or intake's API at INTAKE_URL."""
    register = SlipRegister(store.db)
    relay = OutboxRelay(register.collection, bus, service="slips", poll_seconds=settings.outbox_poll_seconds)
    slips = Slips(book=DossierBook(store.db), register=register,
                  blobs=blobs or open_blob_store(settings, "slips", store), signer=open_signer(settings),
                  context=Context(office=load_office(), catalog=load_catalog(), place=settings.place,
                                  zone=local_zone(settings.timezone), lookup_url=lookup_url(settings)),
                  contents=contents or IntakeContents(base_url=settings.intake_url,
                                                      wait_seconds=settings.intake_wait_seconds),
                  published=relay.notify, clock=clock)
    return Service(name="slips", bus=bus, store=store, router=slips_router(slips),
                   consumers=[dossier_steps_consumer(slips)], outboxes=[relay], on_start=[register.ensure_indexes])


def open_signer(settings: SlipsSettings) -> SlipSigner:
    """The configured certificate; outside production without one, the run's development certificate."""
    if settings.signing_certificate_file and settings.signing_certificate_password:
        return SlipSigner.from_file(settings.signing_certificate_file,
                                    settings.signing_certificate_password.get_secret_value())
    path = ensure_development_certificate(settings.development_certificate_dir)
    log.warning("development_signing_certificate", path=str(path))
    return SlipSigner.from_file(path, PASSWORD, development=True)


def lookup_url(settings: SlipsSettings) -> Callable[[str], str]:
    base = settings.portal_url.rstrip("/")
    return lambda code: base + settings.lookup_path.format(lookup_code=quote(code, safe=""))
