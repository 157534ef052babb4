"""The slips service's use cases: issue a step's slip once, and hand a slip's stored bytes out.

Issuing renders the slip from the step's event and the book's facts, signs it, stores the signed bytes
under a blob id of this attempt's own, then records the slip with its `slip.issued` in one insert: the
commit point. An attempt that loses the race (the same event delivered twice at once) deletes its blob;
one cut off before the insert leaves a blob nothing points at, and the redelivered event issues the slip.
A recorded slip is never rendered again: every download is the bytes issued (and signed) that day.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

from services.slips.adapters.slip_register import IssuedSlip
from services.slips.dependencies import Slips
from services.slips.domain.kinds import content_for, slip_id
from services.slips.domain.layout import SignatureNote, render_slip
from services.slips.domain.wording import moment
from services.slips.errors import DossierNotKnownYet, SlipNotFound
from shared.logging import get_logger
from shared.messages import Envelope, Payload
from shared.slips import SLIP_TITLES, SlipIssued

log = get_logger(__name__)
PRODUCER = "slips"
MAX_SLIP_BYTES = 5 * 1024 * 1024


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def issue_slip(slips: Slips, event: Envelope, payload: Payload, kind: str) -> bool:
    """Issue the slip `event`'s step calls for; False when it was issued already (or calls for none)."""
    assert event.dossier_id is not None and event.version is not None
    issued_id = slip_id(event.dossier_id, kind, event.version)
    if await slips.register.exists(issued_id):
        return False
    facts = await slips.book.get(event.dossier_id)
    if facts is None:
        raise DossierNotKnownYet(event.dossier_id)
    content = content_for(payload, facts, event, slips.context)
    if content is None:
        return False
    now = slips.clock()
    note = SignatureNote(signer=slips.signer.subject, signed_at=now, development=slips.signer.development,
                         signed_at_text=moment(now, slips.context.zone))
    # About 160 ms of CPU a slip: laid out in a worker thread, so the event loop keeps answering the broker's
    # heartbeats and HTTP while a stream of receipts is rendered (it fell so far behind that the broker link
    # took minutes to come back after a broker restart).
    rendered = await asyncio.to_thread(render_slip, content, note)
    signed = await slips.signer.sign(rendered, reason=SLIP_TITLES[kind], location=slips.context.office.name)
    blob_id = f"{issued_id}.{uuid4().hex[:12]}"
    stored = await slips.blobs.put(blob_id, _one_chunk(signed), max_bytes=MAX_SLIP_BYTES)
    slip = IssuedSlip(id=issued_id, dossier_id=event.dossier_id, owner_id=facts.owner_id, kind=kind,
                      title=SLIP_TITLES[kind], number=content.number, issued_at=now, blob_id=blob_id,
                      size=stored.size, sha256=stored.sha256, for_event_id=event.id, facts=content.as_facts())
    if not await slips.register.record(slip, _issued_event(slip, event)):
        await slips.blobs.delete(blob_id)
        return False
    slips.published()
    log.info("slip_issued", slip_id=issued_id, dossier_id=event.dossier_id, kind=kind, size=stored.size,
             development_signature=slips.signer.development)
    return True


def _issued_event(slip: IssuedSlip, cause: Envelope) -> Envelope:
    payload = SlipIssued(slip_id=slip.id, kind=slip.kind, title=slip.title,
                         number=slip.number, issued_at=slip.issued_at, for_event_id=cause.id)
    return Envelope(type=payload.message_type, producer=PRODUCER, dossier_id=slip.dossier_id,
                    correlation_id=cause.correlation_id or cause.id, causation_id=cause.id,
                    data=payload.model_dump(mode="json"))


@dataclass(frozen=True)
class SlipDownload:
    slip: IssuedSlip
    chunks: AsyncIterator[bytes]


async def open_slip(slips: Slips, dossier_id: str, kind: str, *, owner_id: str | None,
                    slip_id: str | None = None) -> SlipDownload:
    """A slip's signed bytes; another owner's dossier, or a slip not issued, is not found (the same answer)."""
    slip = await slips.register.find(dossier_id, kind, slip_id)
    if slip is None or (owner_id is not None and slip.owner_id != owner_id):
        raise SlipNotFound()
    return SlipDownload(slip, slips.blobs.read(slip.blob_id))
