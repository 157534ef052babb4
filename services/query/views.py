"""A read-model document as the portal sees it: labels, overdue and the open actions added at read time."""

from datetime import date, tzinfo
from typing import Any

from services.query.actions import actions_open_to_owner
from services.query.dates import as_utc, parse_day
from services.query.overdue import is_overdue
from services.query.projection import Document
from shared.statuses import Status, label


def list_item(document: Document, today: date, zone: tzinfo) -> dict[str, Any]:
    status = Status(document["status"])
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
        "overdue": is_overdue(status, parse_day(document.get("due_date"), zone), today),
        "version": document["version"],
    }


def detail(document: Document, today: date, zone: tzinfo) -> dict[str, Any]:
    status = Status(document["status"])
    return {
        **list_item(document, today, zone),
        "received_at": as_utc(document.get("received_at")),
        "updated_at": as_utc(document.get("updated_at")),
        "applicant": document.get("applicant"),
        "form": document.get("form") or {},
        "history": [{**entry, "at": as_utc(entry["at"])} for entry in document.get("history", [])],
        "actions": actions_open_to_owner(status, document.get("result")),
        "payment": document.get("payment"),
        "result": document.get("result"),
    }
