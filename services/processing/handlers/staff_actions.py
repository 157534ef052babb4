"""The Reception and Result Return Unit's actions (thao tác của cán bộ), one handler each.

Both doors call these: the internal HTTP API (the gateway, after checking the staff role) and the staff
commands on the bus, which also pass the `StaffCommand` so that a redelivery changes nothing twice.
"""

from services.processing.dependencies import PRODUCER, Processing
from services.processing.domain import payment_hand_over, reception, resolution
from services.processing.domain.dossier import Dossier, UploadedDocument
from services.processing.errors import DocumentTooLarge
from shared.holder.staff_commands import StaffCommand
from shared.holder.write import Change, CommandResult, Decide, write_change
from shared.lifecycle import DeliveryMethod, ResultDocument
from shared.messages import Actor
from shared.payments import FeeLine


async def accept_dossier(
    processing: Processing, dossier_id: str, actor: Actor, command: StaffCommand | None = None,
) -> CommandResult:
    """Receive the dossier: its lookup code, the receipt time and the due date in working days."""
    # Drawn by the first decision that needs one and kept by its retries, so that a write conflict spends
    # no second number of the day; drawn again only if it turns out to be another dossier's already.
    lookup_code: str | None = None

    async def decide(dossier: Dossier) -> Change[Dossier]:
        nonlocal lookup_code
        reception.ensure_can_accept(dossier)  # before a lookup code is spent on it
        now = processing.clock()
        processing_days = processing.catalog.get(dossier.procedure_code).processing_days
        first = None
        if not dossier.received_once:
            day = processing.today(now)
            if lookup_code is None or await processing.dossiers.holds_lookup_code(lookup_code):
                lookup_code = await processing.next_lookup_code(day)
            first = reception.FirstReception(
                lookup_code=lookup_code, received_at=now,
                due_date=processing.calendar.add_working_days(day, processing_days))
        return reception.accept(dossier, first, processing_days, now)

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


async def reject_dossier(
    processing: Processing, dossier_id: str, actor: Actor, reason: str, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return reception.reject(dossier, reason, processing.clock())

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


async def request_supplement(
    processing: Processing, dossier_id: str, actor: Actor, reason: str, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        now = processing.clock()
        return reception.request_supplement(dossier, reason, now, processing.today(now), processing.calendar)

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


async def start_processing(
    processing: Processing, dossier_id: str, actor: Actor, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return resolution.start_processing(dossier, processing.clock())

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


async def issue_result(
    processing: Processing, dossier_id: str, actor: Actor, summary: str, upload: UploadedDocument | None,
    command: StaffCommand | None = None,
) -> CommandResult:
    """Record the result; its document goes to the documents collection and the event only refers to it."""
    if upload is not None and len(upload.content) > processing.max_document_bytes:
        raise DocumentTooLarge(processing.max_document_bytes)
    stored: ResultDocument | None = None

    async def decide(dossier: Dossier) -> Change[Dossier]:
        nonlocal stored
        resolution.ensure_can_issue_result(dossier)  # before any bytes are stored
        if upload is not None and stored is None:
            stored = await processing.documents.put(processing.new_id(), dossier.id, upload, processing.clock())
        return resolution.issue_result(dossier, summary, stored, processing.clock())

    try:
        issued = await _change(processing, dossier_id, decide, actor, command)
    except Exception:
        if stored is not None:
            await processing.documents.discard(stored.id)
        raise
    if stored is not None and _document_id(issued) != stored.id:
        await processing.documents.discard(stored.id)  # another delivery of the command issued it first
    return CommandResult.of(issued)


async def mark_returned(
    processing: Processing, dossier_id: str, actor: Actor, method: DeliveryMethod,
    command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return resolution.mark_returned(dossier, method, processing.clock())

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


async def request_payment(
    processing: Processing, dossier_id: str, actor: Actor, items: list[FeeLine] | None,
    command: StaffCommand | None = None,
) -> CommandResult:
    """Ask the citizen to pay (yêu cầu thanh toán) the items given, or else the procedure's fee items."""

    async def decide(dossier: Dossier) -> Change[Dossier]:
        lines = items
        if lines is None:
            lines = payment_hand_over.procedure_fee_lines(processing.catalog.get(dossier.procedure_code))
        return payment_hand_over.request_payment(dossier, lines, processing.clock())

    return CommandResult.of(await _change(processing, dossier_id, decide, actor, command))


def _document_id(dossier: Dossier) -> str | None:
    return dossier.result.document.id if dossier.result and dossier.result.document else None


async def _change(
    processing: Processing, dossier_id: str, decide: Decide[Dossier], actor: Actor, command: StaffCommand | None,
) -> Dossier:
    """The dossier once the decision is stored, through the holder's write path."""
    written = await write_change(processing.dossiers, dossier_id, decide, producer=PRODUCER, actor=actor,
                                 command=command, published=processing.published)
    return written.record
