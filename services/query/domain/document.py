"""The read-model document (hồ sơ trong mô hình đọc): its fields, and the edits events make to it. Pure.

One document per dossier. Times are stored UTC to the millisecond (`dates.stored_time`), due dates as
"YYYY-MM-DD" days in Vietnam. Fields marked "derived" are recomputed from the others after every event.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.query.domain.dates import stored_time
from shared.messages import DraftContent, Envelope, StatusChange
from shared.statuses import Status

Document = dict[str, Any]
M = TypeVar("M", bound=BaseModel)


class UnreadableEvent(Exception):
    """An event whose data this projection cannot read: retrying will not help."""


def new_document(dossier_id: str) -> Document:
    return {
        "_id": dossier_id, "version": 0, "owner_id": None, "status": None, "deleted": False,
        # Mã hồ sơ / mã tra cứu, given on reception; `lookup_key` (derived) is its case-free form.
        "lookup_code": None, "lookup_key": None,
        "title": None, "procedure_code": None, "procedure_name": None, "applicant": None, "form": {},
        "created_at": None, "submitted_at": None, "received_at": None, "updated_at": None,
        "filed_at": None,  # derived: the day the advanced search filters on (ngày nộp)
        # Hạn giải quyết, and the clock behind it, stopped while a received dossier awaits a supplement.
        "due_date": None, "processing_days": None, "clock_paused": False, "remaining_working_days": None,
        # Once rescheduled (hẹn lại): the due date first given, and whether it was already past then.
        "original_due_date": None, "rescheduled_late": False,
        "last_reason": None,  # why the latest supplement request or rejection was made, for the citizen
        # The latest payment request; those before it (each paid: payment holds the dossier until it is) in
        # `earlier_payments`, oldest first, so that no receipt number is lost to a request for an additional fee.
        "history": [], "payment": None, "earlier_payments": [], "result": None,
        # The citizen's rating once the result was returned (đánh giá mức độ hài lòng): level, comment, rated_at.
        "rating": None,
        # Thành phần hồ sơ: per document code that has files, its files' metadata, oldest first
        # ({"code", "files": [{id, filename, content_type, size, sha256, uploaded_at}]}); the codes the
        # latest supplement request asks the citizen to complete, until the dossier is sent again.
        "documents": [], "requested_documents": [],
        "attached_files": 0,  # derived: how many files in all, so a list item need not read the files
        "search_text": "",  # derived: folded lookup code, title, procedure name, applicant name
        "listed_at": None,  # derived: when it took its current status, the lists' order (domain/paging.py)
    }


def read(model: type[M], event: Envelope, data: dict[str, Any] | None = None) -> M:
    """The event's data as its shared contract model, or `UnreadableEvent`."""
    try:
        return model.model_validate(event.data if data is None else data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise UnreadableEvent(f"{event.type} {event.id}: {error.error_count()} invalid fields") from None


def change_status(document: Document, event: Envelope, payload: StatusChange,
                  documents: Iterable[str] = ()) -> None:
    record_status_change(document, event, payload.to_status, payload.from_status, payload.reason, documents)


def record_status_change(document: Document, event: Envelope, to_status: Status, from_status: Status | None,
                         reason: str | None, documents: Iterable[str] = ()) -> None:
    """Move the dossier and add the history entry (lịch sử xử lý): when, from, to, by whom, why.

    `documents` are the codes of the component documents the change was about: those a supplement request
    asks for, those a resubmission brought new files to ("Bổ sung: …"); none for most changes.
    """
    document["history"].append({
        "at": stored_time(event.occurred_at),
        "from": from_status.value if from_status else document["status"],
        "to": to_status.value,
        "actor": actor_entry(event),
        "reason": reason,
        "documents": list(documents),
    })
    document["status"] = to_status.value


def actor_entry(event: Envelope) -> dict[str, Any]:
    """Who acted, as the history keeps it: a staff member with the name they act under, when the command
    carried one; anyone else by kind and id only, so that no citizen's name is ever kept beside a change."""
    actor = event.actor
    entry: dict[str, Any] = {"kind": actor.kind, "id": actor.id}
    if actor.kind == "staff" and actor.name:
        entry["name"] = actor.name
    return entry


def set_content(document: Document, content: DraftContent) -> None:
    document["title"] = content.title
    document["procedure_code"] = content.procedure_code
    document["applicant"] = content.applicant.model_dump(mode="json")
    document["form"] = dict(content.form)


def run_clock(document: Document) -> None:
    """The due-date clock runs (again): nothing is paused, nothing held back."""
    document["clock_paused"] = False
    document["remaining_working_days"] = None
