"""The Reception and Result Return Unit's actions (thao tác của cán bộ), one handler each.

Both doors call these: the internal HTTP API (the gateway, after checking the staff role) and the staff
commands on the bus, which also pass the `StaffCommand` so that a redelivery changes nothing twice.
"""

from collections.abc import Sequence
from datetime import date

from services.processing.dependencies import PRODUCER, Processing
from services.processing.domain import deadlines, payment_hand_over, reception, resolution
from services.processing.domain.dossier import Dossier
from services.processing.handlers import result_documents
from services.processing.handlers.result_documents import ResultUpload
from shared.errors import DomainError
from shared.holder.staff_commands import StaffCommand
from shared.holder.write import Change, CommandResult, Decide, Written, write_change
from shared.lifecycle import DeliveryMethod, ResultDocument
from shared.messages import Actor
from shared.payments import FeeLine


async def accept_dossier(
    processing: Processing, dossier_id: str, actor: Actor,
    command: StaffCommand | None = None, command_key: str | None = None,
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

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def reject_dossier(
    processing: Processing, dossier_id: str, actor: Actor, reason: str,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return reception.reject(dossier, reason, processing.clock())

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def request_supplement(
    processing: Processing, dossier_id: str, actor: Actor, reason: str, documents: Sequence[str] = (),
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    """Ask the citizen to complete the dossier, naming the documents (their catalog codes) to add files to."""

    async def decide(dossier: Dossier) -> Change[Dossier]:
        now = processing.clock()
        procedure = processing.catalog.get(dossier.procedure_code)
        return reception.request_supplement(dossier, reason, documents, procedure, now, processing.today(now),
                                            processing.calendar)

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def start_processing(
    processing: Processing, dossier_id: str, actor: Actor,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return resolution.start_processing(dossier, processing.clock())

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def issue_result(
    processing: Processing, dossier_id: str, actor: Actor, summary: str, upload: ResultUpload | None,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    """Record the result; its document goes to the blob store and the record and event only refer to it."""
    stored: ResultDocument | None = None

    async def decide(dossier: Dossier) -> Change[Dossier]:
        nonlocal stored
        resolution.ensure_can_issue_result(dossier)  # before any bytes are stored
        if upload is not None and stored is None:
            stored = await result_documents.store(processing, upload)
        return resolution.issue_result(dossier, summary, stored, processing.clock())

    try:
        written = await _change(processing, dossier_id, decide, actor, command, command_key)
    except Exception as failure:
        if stored is not None and not await _refers_to(processing, dossier_id, stored, failure):
            await result_documents.discard(processing, stored, _reason(failure))
        raise
    if stored is not None and _document_id(written.record) != stored.id:
        # Another delivery of the command issued the result first, with a document of its own.
        await result_documents.discard(processing, stored, "already_issued")
    return written.result()


async def mark_returned(
    processing: Processing, dossier_id: str, actor: Actor, method: DeliveryMethod | None,
    tracking_number: str | None = None,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier]:
        return resolution.mark_returned(dossier, method, processing.clock(), tracking_number)

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def request_payment(
    processing: Processing, dossier_id: str, actor: Actor, items: list[FeeLine] | None, reason: str | None = None,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    """Ask the citizen to pay (yêu cầu thanh toán) the items given, or else the procedure's fee items; once
    the dossier has been paid, only an additional fee, with its reason."""

    async def decide(dossier: Dossier) -> Change[Dossier]:
        procedure = processing.catalog.get(dossier.procedure_code)
        now = processing.clock()
        pay_by = payment_hand_over.payment_deadline(processing.today(now), processing.calendar,
                                                    processing.payment_days)
        return payment_hand_over.request_payment(dossier, items, reason, procedure, now, pay_by)

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


async def reschedule(
    processing: Processing, dossier_id: str, actor: Actor, new_due_date: date, reason: str,
    command: StaffCommand | None = None, command_key: str | None = None,
) -> CommandResult:
    """A later appointment with an apology (hẹn lại ngày trả kết quả); the slips service issues the slip."""

    async def decide(dossier: Dossier) -> Change[Dossier]:
        now = processing.clock()
        return deadlines.reschedule(dossier, new_due_date, reason, processing.today(now), now, processing.calendar)

    return (await _change(processing, dossier_id, decide, actor, command, command_key)).result()


def _document_id(dossier: Dossier) -> str | None:
    return dossier.result.document.id if dossier.result and dossier.result.document else None


async def _refers_to(processing: Processing, dossier_id: str, document: ResultDocument, failure: Exception) -> bool:
    """Whether the stored dossier refers to `document` after all: a refusal stores nothing, but a store error
    may come after the write went through, and a document a result refers to must never be deleted."""
    if isinstance(failure, DomainError):
        return False
    try:
        dossier = await processing.dossiers.get(dossier_id)
    except Exception:
        return True  # cannot tell: a blob nobody refers to is a lesser harm than a result without its document
    return dossier is not None and _document_id(dossier) == document.id


def _reason(failure: Exception) -> str:
    return failure.code if isinstance(failure, DomainError) else type(failure).__name__


async def _change(
    processing: Processing, dossier_id: str, decide: Decide[Dossier], actor: Actor, command: StaffCommand | None,
    command_key: str | None,
) -> Written[Dossier]:
    """The dossier once the decision is stored, through the holder's write path; a command sent under a key
    (over HTTP) or with an envelope id (over the bus) is applied once."""
    return await write_change(processing.dossiers, dossier_id, decide, producer=PRODUCER, actor=actor,
                              command=command, published=processing.published, command_key=command_key)
