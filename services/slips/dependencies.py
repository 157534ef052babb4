"""What the slips service's reactions and use cases take, wired once by bootstrap (and by the tests)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.slips.adapters.dossier_book import DossierBook
from services.slips.adapters.signing import SlipSigner
from services.slips.adapters.slip_register import SlipRegister
from services.slips.domain.kinds import Context
from shared.blobs import BlobStore
from shared.dossier_content import ContentSource
from shared.messages import utc_now


@dataclass
class Slips:
    book: DossierBook
    register: SlipRegister
    blobs: BlobStore  # the signed PDFs, stored once
    signer: SlipSigner
    context: Context  # the Department, the place, the zone and the lookup address every slip prints
    contents: ContentSource  # intake's answer on the applicant a slip is made out to (not in the events)
    published: Callable[[], None] = lambda: None  # wakes the outbox relay
    clock: Callable[[], datetime] = utc_now
