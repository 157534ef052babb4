"""A read-model document as each reader sees it: labels, overdue and the open actions added at read time.

The owner and staff get the list item and the detail; anyone with a lookup code gets the public lookup,
which carries nothing personal.
"""

from collections.abc import Callable, Sequence
from datetime import date, tzinfo
from typing import Any

from services.query.domain.actions import actions_open_to_owner
from services.query.domain.countdown import Countdown, deadline
from services.query.domain.dates import as_utc, parse_day
from services.query.domain.document import Document
from services.query.domain.overdue import is_overdue
from shared.lifecycle import RATING_LABELS
from shared.procedures import ProcedureDocument
from shared.statuses import Status, label

# A procedure's component documents (thành phần hồ sơ) by its code, in catalog order; none for a code the
# catalog no longer has. Read when the detail is shown, so a catalog edit shows without a rebuild.
ProcedureDocuments = Callable[[str], Sequence[ProcedureDocument]]


def list_item(document: Document, today: date, zone: tzinfo, countdown: Countdown | None = None) -> dict[str, Any]:
    """`countdown` (the working-day calendar and DUE_SOON_WORKING_DAYS) gives the days left; none without it."""
    status = Status(document["status"])
    paused = bool(document.get("clock_paused"))
    due_date = parse_day(document.get("due_date"), zone)
    shown = deadline(status, due_date, today, countdown, paused, document.get("remaining_working_days")) \
        if countdown else None
    return {
        "id": document["_id"],
        "lookup_code": document.get("lookup_code"),
        "title": document.get("title"),
        # The applicant's name only (người nộp); a document without content yet has none.
        "applicant_name": (document.get("applicant") or {}).get("full_name"),
        "procedure_code": document.get("procedure_code"),
        "procedure_name": document.get("procedure_name"),
        "status": status.value,
        "status_label": label(status),
        "created_at": as_utc(document.get("created_at")),
        "submitted_at": as_utc(document.get("submitted_at")),
        "due_date": document.get("due_date"),
        "overdue": is_overdue(status, due_date, today, paused),
        "working_days_left": shown.working_days_left if shown else None,
        "deadline_state": shown.state if shown else None,
        # Set once staff reschedule (hẹn lại): the due date first given; `due_date` is the new appointment.
        "original_due_date": document.get("original_due_date"),
        "rescheduled_late": bool(document.get("rescheduled_late")),
        "version": document["version"],
        # Absent from a document stored before files existed: it had none.
        "attached_files": document.get("attached_files", 0),
    }


def detail(document: Document, today: date, zone: tzinfo,
           procedure_documents: ProcedureDocuments, countdown: Countdown | None = None) -> dict[str, Any]:
    status = Status(document["status"])
    result = document.get("result")
    return {
        **list_item(document, today, zone, countdown),
        "received_at": as_utc(document.get("received_at")),
        "updated_at": as_utc(document.get("updated_at")),
        "processing_days": document.get("processing_days"),
        "clock_paused": bool(document.get("clock_paused")),
        "remaining_working_days": document.get("remaining_working_days"),
        "reason": document.get("last_reason"),
        # A draft may lack any of the applicant's fields (each null), or all of them.
        "applicant": document.get("applicant") or {},
        "form": document.get("form") or {},
        "history": [{**entry, "at": as_utc(entry["at"]), "documents": entry.get("documents", [])}
                    for entry in document.get("history", [])],
        "actions": actions_open_to_owner(status, result, received=document.get("lookup_code") is not None,
                                         payment=document.get("payment"), rated=bool(document.get("rating"))),
        "payment": payment_view(document.get("payment")),
        "payments": payments_view(document),
        "result": result_view(result),
        "rating": rating_view(document.get("rating")),
        "documents": documents_view(document, procedure_documents(document.get("procedure_code") or "")),
    }


def documents_view(document: Document, listed: Sequence[ProcedureDocument]) -> list[dict[str, Any]]:
    """The dossier's component documents (thành phần hồ sơ) as the portal shows them.

    Every document the procedure lists, in catalog order, with its name, whether it is required and
    whether the latest supplement request asks for it, and its files; then, so that nothing attached or
    asked for is hidden, any other code with files or requested (one the catalog dropped since): its code
    as its name, required by nobody.
    """
    files = {entry["code"]: entry["files"] for entry in document.get("documents") or []}
    requested = list(document.get("requested_documents") or [])
    known = {entry.code for entry in listed}
    others = [code for code in [*files, *requested] if code not in known]
    shown = [(entry.code, entry.name, entry.required) for entry in listed]
    shown += [(code, code, False) for code in dict.fromkeys(others)]
    return [{"code": code, "name": name, "required": required, "requested": code in requested,
             "files": [file_view(file) for file in files.get(code, [])]}
            for code, name, required in shown]


def file_view(file: dict[str, Any]) -> dict[str, Any]:
    """One attached file's metadata (tệp đính kèm); its bytes are fetched from intake by id."""
    return {"id": file["id"], "filename": file["filename"], "content_type": file["content_type"],
            "size": file["size"], "sha256": file["sha256"], "uploaded_at": as_utc(file["uploaded_at"])}


def payment_view(payment: dict[str, Any] | None) -> dict[str, Any] | None:
    """The latest payment request as the portal shows it, if there is one."""
    return None if payment is None else payment_request_view(payment)


def payments_view(document: Document) -> list[dict[str, Any]]:
    """Every payment request, oldest first, the latest last: each receipt stays in sight."""
    requests = [*document.get("earlier_payments", []), document.get("payment")]
    return [payment_request_view(payment) for payment in requests if payment is not None]


def payment_request_view(payment: dict[str, Any]) -> dict[str, Any]:
    """A payment request (thanh toán): what to pay and why, how, where it stands, the receipt."""
    return {
        "state": payment.get("state"), "amount_vnd": payment.get("amount_vnd"), "items": payment.get("items") or [],
        "reason": payment.get("reason"), "methods": payment.get("methods") or [], "method": payment.get("method"),
        "provider": payment.get("provider"), "receipt_number": payment.get("receipt_number"),
        "paid_at": as_utc(payment.get("paid_at")),
        # Absent from a payment requested before it was kept: the portal then names no deadline's start.
        "requested_at": as_utc(payment.get("requested_at")),
        "pay_by": payment.get("pay_by"),
    }


def result_view(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The result as the portal shows it; the document's id in processing's store stays inside."""
    if result is None:
        return None
    delivery = result.get("delivery") or {}
    stored = result.get("document")
    return {
        "summary": result.get("summary"),
        "delivery_method": delivery.get("method"),
        "postal_address": delivery.get("postal_address"),
        "tracking_number": delivery.get("tracking_number"),
        "downloadable": bool(result.get("downloadable")),
        "document": None if stored is None else {
            "filename": stored["filename"], "content_type": stored["content_type"],
            "size_bytes": stored["size_bytes"]},
    }


def rating_view(rating: dict[str, Any] | None) -> dict[str, Any] | None:
    """The citizen's rating (đánh giá), if given; absent from a document stored before ratings existed."""
    if not rating:
        return None
    return {"level": rating["level"], "label": RATING_LABELS[rating["level"]], "comment": rating.get("comment"),
            "rated_at": as_utc(rating["rated_at"])}


def public_lookup(document: Document) -> dict[str, Any]:
    """What anyone holding the lookup code may see (tra cứu hồ sơ): no applicant, content, actor or reason."""
    status = Status(document["status"])
    return {
        "lookup_code": document["lookup_code"],
        "procedure_name": document.get("procedure_name"),
        "status": status.value,
        "status_label": label(status),
        "received_at": as_utc(document.get("received_at")),
        "due_date": document.get("due_date"),
        "history": [{"at": as_utc(entry["at"]), "to": entry["to"]} for entry in _since_reception(document)],
    }


def _since_reception(document: Document) -> list[dict[str, Any]]:
    """The dossier's progress at the Department: from its reception on. Before it the dossier was the
    citizen's (drafts, sendings, withdrawals), which is nobody else's business. A dossier refused without
    being received starts at the sending that was refused."""
    history: list[dict[str, Any]] = list(document.get("history", []))
    tos = [entry["to"] for entry in history]
    if "received" in tos:
        return history[tos.index("received"):]
    if "submitted" in tos:
        return history[len(tos) - 1 - tos[::-1].index("submitted"):]
    return history
