"""How processing's events change a dossier's document: reception, supplement, processing, the result, the
citizen's rating."""

from typing import Any

from services.query.domain.dates import stored_time
from services.query.domain.document import Document, actor_entry, change_status, read, run_clock
from shared.lifecycle import (
    DeliveryMethod,
    DossierRated,
    DossierReceived,
    DossierRejected,
    DossierRescheduled,
    DossierWithdrawn,
    DueDateChanged,
    ProcessingStarted,
    ResultDeliveryChosen,
    ResultIssued,
    ResultReturned,
    SupplementRequested,
)
from shared.messages import Envelope


def apply_dossier_withdrawn(document: Document, event: Envelope) -> None:
    """Taken back before reception (rút hồ sơ): a draft again, filed anew when next submitted."""
    payload = read(DossierWithdrawn, event)
    document["submitted_at"] = None
    change_status(document, event, payload)


def apply_dossier_received(document: Document, event: Envelope) -> None:
    """Accepted (tiếp nhận): the lookup code (mã tra cứu) and the due date (hạn giải quyết) are set."""
    payload = read(DossierReceived, event)
    document["lookup_code"] = payload.lookup_code
    document["received_at"] = stored_time(payload.received_at)
    document["due_date"] = payload.due_date.isoformat()
    document["processing_days"] = payload.processing_days
    run_clock(document)
    change_status(document, event, payload)


def apply_dossier_rejected(document: Document, event: Envelope) -> None:
    payload = read(DossierRejected, event)
    document["last_reason"] = payload.reason
    change_status(document, event, payload)


def apply_supplement_requested(document: Document, event: Envelope) -> None:
    """Sent back for a supplement (yêu cầu bổ sung); the due-date clock stops if it was running.

    The documents the citizen must complete are the latest request's only: an earlier request was answered
    by the resubmission that came before this one.
    """
    payload = read(SupplementRequested, event)
    document["last_reason"] = payload.reason
    document["requested_documents"] = list(payload.documents)
    # Before reception there is no clock to stop (and no remaining days).
    paused = document["received_at"] is not None or payload.remaining_working_days is not None
    document["clock_paused"] = paused
    document["remaining_working_days"] = payload.remaining_working_days if paused else None
    change_status(document, event, payload, documents=payload.documents)


def apply_due_date_changed(document: Document, event: Envelope) -> None:
    """The clock runs again after a resubmission, towards a new due date; the status stays."""
    document["due_date"] = read(DueDateChanged, event).due_date.isoformat()
    run_clock(document)


def apply_dossier_rescheduled(document: Document, event: Envelope) -> None:
    """A new appointment with an apology (hẹn lại ngày trả kết quả); the status stays, the history says why.

    The first due date is kept beside the new one; once rescheduled late, the dossier stays counted late.
    """
    payload = read(DossierRescheduled, event)
    document["due_date"] = payload.new_due_date.isoformat()
    document["original_due_date"] = payload.original_due_date.isoformat()
    document["rescheduled_late"] = bool(document.get("rescheduled_late")) or payload.late
    document["history"].append({
        "at": stored_time(event.occurred_at), "from": document["status"], "to": document["status"],
        "actor": actor_entry(event), "reason": payload.reason, "documents": [],
        "rescheduled_to": payload.new_due_date.isoformat()})


def apply_deadline_warning(document: Document, event: Envelope) -> None:
    """Processing warned that the due date is near or past (sắp đến hạn, quá hạn): the countdown already says
    so when read, so the document keeps nothing but the version (the projection moves it)."""


def apply_processing_started(document: Document, event: Envelope) -> None:
    change_status(document, event, read(ProcessingStarted, event))


def apply_result_issued(document: Document, event: Envelope) -> None:
    """The result (kết quả) exists: its summary and where its document is (metadata, never bytes)."""
    payload = read(ResultIssued, event)
    result = _result(document)
    result["summary"] = payload.summary
    result["document"] = payload.document.model_dump(mode="json") if payload.document else None
    _settle_download(result)
    change_status(document, event, payload)


def apply_result_delivery_chosen(document: Document, event: Envelope) -> None:
    """How the citizen will receive the result (hình thức nhận kết quả); the status stays."""
    payload = read(ResultDeliveryChosen, event)
    result = _result(document)
    result["delivery"] = _delivery(payload.method, payload.postal_address)
    _settle_download(result)


def apply_result_returned(document: Document, event: Envelope) -> None:
    """Handed over (đã trả kết quả), by the method it actually went: that one is now the delivery."""
    payload = read(ResultReturned, event)
    result = _result(document)
    chosen = result["delivery"] or {}
    address = chosen.get("postal_address") if chosen.get("method") == payload.method else None
    result["delivery"] = _delivery(payload.method, address)
    if payload.tracking_number and payload.method == "postal":
        result["delivery"]["tracking_number"] = payload.tracking_number
    _settle_download(result)
    change_status(document, event, payload)


def _result(document: Document) -> dict[str, Any]:
    if document["result"] is None:
        document["result"] = {"summary": None, "document": None, "delivery": None, "downloadable": False}
    result: dict[str, Any] = document["result"]
    return result


def _delivery(method: DeliveryMethod, postal_address: str | None) -> dict[str, Any]:
    # An address is kept only for the post: anywhere else it is personal data nobody needs.
    return {"method": method, "postal_address": postal_address if method == "postal" else None}


def _settle_download(result: dict[str, Any]) -> None:
    """Downloadable on the portal only when there is a document and it goes to the citizen online."""
    result["downloadable"] = bool(result["document"]) and (result["delivery"] or {}).get("method") == "online"


def apply_dossier_rated(document: Document, event: Envelope) -> None:
    """The citizen rated the service (đánh giá mức độ hài lòng); the status stays."""
    payload = read(DossierRated, event)
    document["rating"] = {"level": payload.level, "comment": payload.comment,
                          "rated_at": stored_time(payload.rated_at)}
