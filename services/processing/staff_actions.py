"""The Reception and Result Return Unit's actions (thao tác của cán bộ), one handler each.

Both doors call these: the internal HTTP API (the gateway, after checking the staff role) and the staff
commands on the bus, which also pass the `StaffCommand` so that a redelivery changes nothing twice.
"""

from services.processing import payments, reception, resolution
from services.processing.command_answers import StaffCommand
from services.processing.domain import Change, Dossier, UploadedDocument
from services.processing.errors import DocumentTooLarge
from services.processing.handlers import CommandResult, Decide, Processing, change_dossier
from shared.lifecycle import DeliveryMethod, ResultDocument
from shared.messages import Actor
from shared.payments import FeeLine


async def accept_dossier(
    processing: Processing, dossier_id: str, actor: Actor, command: StaffCommand | None = None,
) -> CommandResult:
    """Receive the dossier: its lookup code, the receipt time and the due date in working days."""

    async def decide(dossier: Dossier) -> Change:
        reception.ensure_can_accept(dossier)  # before a lookup code is spent on it
        now = processing.clock()
        processing_days = processing.catalog.get(dossier.procedure_code).processing_days
        first = None
        if not dossier.received_once:
            day = processing.today(now)
            first = reception.FirstReception(
                lookup_code=await processing.next_lookup_code(day), received_at=now,
                due_date=processing.calendar.add_working_days(day, processing_days))
        return reception.accept(dossier, first, processing_days, now)

    return await _staff_change(processing, dossier_id, decide, actor, command)


async def reject_dossier(
    processing: Processing, dossier_id: str, actor: Actor, reason: str, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change:
        return reception.reject(dossier, reason, processing.clock())

    return await _staff_change(processing, dossier_id, decide, actor, command)


async def request_supplement(
    processing: Processing, dossier_id: str, actor: Actor, reason: str, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change:
        now = processing.clock()
        return reception.request_supplement(dossier, reason, now, processing.today(now), processing.calendar)

    return await _staff_change(processing, dossier_id, decide, actor, command)


async def start_processing(
    processing: Processing, dossier_id: str, actor: Actor, command: StaffCommand | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change:
        return resolution.start_processing(dossier, processing.clock())

    return await _staff_change(processing, dossier_id, decide, actor, command)


async def issue_result(
    processing: Processing, dossier_id: str, actor: Actor, summary: str, upload: UploadedDocument | None,
    command: StaffCommand | None = None,
) -> CommandResult:
    """Record the result; its document goes to the documents collection and the event only refers to it."""
    if upload is not None and len(upload.content) > processing.max_document_bytes:
        raise DocumentTooLarge(processing.max_document_bytes)
    stored: ResultDocument | None = None

    async def decide(dossier: Dossier) -> Change:
        nonlocal stored
        resolution.ensure_can_issue_result(dossier)  # before any bytes are stored
        if upload is not None and stored is None:
            stored = await processing.documents.put(processing.new_id(), dossier.id, upload, processing.clock())
        return resolution.issue_result(dossier, summary, stored, processing.clock())

    try:
        issued = await change_dossier(processing, dossier_id, decide, actor=actor, command=command)
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
    async def decide(dossier: Dossier) -> Change:
        return resolution.mark_returned(dossier, method, processing.clock())

    return await _staff_change(processing, dossier_id, decide, actor, command)


async def request_payment(
    processing: Processing, dossier_id: str, actor: Actor, items: list[FeeLine] | None,
    command: StaffCommand | None = None,
) -> CommandResult:
    """Ask the citizen to pay (yêu cầu thanh toán) the items given, or else the procedure's fee items."""

    async def decide(dossier: Dossier) -> Change:
        lines = items
        if lines is None:
            lines = payments.procedure_fee_lines(processing.catalog.get(dossier.procedure_code))
        return payments.request_payment(dossier, lines, processing.clock())

    return await _staff_change(processing, dossier_id, decide, actor, command)


def _document_id(dossier: Dossier) -> str | None:
    return dossier.result.document.id if dossier.result and dossier.result.document else None


async def _staff_change(
    processing: Processing, dossier_id: str, decide: Decide, actor: Actor,
    command: StaffCommand | None,
) -> CommandResult:
    return CommandResult.of(await change_dossier(processing, dossier_id, decide, actor=actor, command=command))
