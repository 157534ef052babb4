"""A read-model document as each reader sees it: labels, overdue and the open actions added at read time.

The owner and staff get the list item and the detail; anyone with a lookup code gets the public lookup,
which carries nothing personal.
"""

from datetime import date, tzinfo
from typing import Any

from services.query.domain.actions import actions_open_to_owner
from services.query.domain.dates import as_utc, parse_day
from services.query.domain.document import Document
from services.query.domain.overdue import is_overdue
from shared.statuses import Status, label


def list_item(document: Document, today: date, zone: tzinfo) -> dict[str, Any]:
    status = Status(document["status"])
    paused = bool(document.get("clock_paused"))
    return {
        "id": document["_id"],
        "lookup_code": document.get("lookup_code"),
        "title": document.get("title"),
        "procedure_code": document.get("procedure_code"),
        "procedure_name": document.get("procedure_name"),
        "status": status.value,
        "status_label": label(status),
        "created_at": as_utc(document.get("created_at")),
        "submitted_at": as_utc(document.get("submitted_at")),
        "due_date": document.get("due_date"),
        "overdue": is_overdue(status, parse_day(document.get("due_date"), zone), today, paused),
        "version": document["version"],
    }


def detail(document: Document, today: date, zone: tzinfo) -> dict[str, Any]:
    status = Status(document["status"])
    result = document.get("result")
    return {
        **list_item(document, today, zone),
        "received_at": as_utc(document.get("received_at")),
        "updated_at": as_utc(document.get("updated_at")),
        "processing_days": document.get("processing_days"),
        "clock_paused": bool(document.get("clock_paused")),
        "remaining_working_days": document.get("remaining_working_days"),
        "reason": document.get("last_reason"),
        "applicant": document.get("applicant"),
        "form": document.get("form") or {},
        "history": [{**entry, "at": as_utc(entry["at"])} for entry in document.get("history", [])],
        "actions": actions_open_to_owner(status, result, received=document.get("lookup_code") is not None,
                                         payment=document.get("payment")),
        "payment": payment_view(document.get("payment")),
        "result": result_view(result),
    }


def payment_view(payment: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payment as the portal shows it (thanh toán): what to pay, how, where it stands, the receipt."""
    if payment is None:
        return None
    return {
        "state": payment.get("state"), "amount_vnd": payment.get("amount_vnd"), "items": payment.get("items") or [],
        "methods": payment.get("methods") or [], "method": payment.get("method"), "provider": payment.get("provider"),
        "receipt_number": payment.get("receipt_number"), "paid_at": as_utc(payment.get("paid_at")),
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
        "downloadable": bool(result.get("downloadable")),
        "document": None if stored is None else {
            "filename": stored["filename"], "content_type": stored["content_type"],
            "size_bytes": stored["size_bytes"]},
    }


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
        "history": [{"at": as_utc(entry["at"]), "to": entry["to"]} for entry in document.get("history", [])],
    }
