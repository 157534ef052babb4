"""The projection (phép chiếu): how one event changes a dossier's read-model document. Pure, no I/O.

Each known event type has its `when_<event>` function in `WHEN`; any other `dossier.*` type falls back
to a generic status change when its data says where the dossier went (`to_status`), so statuses added
by other services later show up without a release here.
"""

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.query.dates import parse_time, stored_time
from services.query.search import fold
from shared.messages import DossierContent, DossierSubmitted, DraftCreated, DraftUpdated, Envelope
from shared.statuses import Status

Document = dict[str, Any]
ProcedureNames = Callable[[str], str | None]
M = TypeVar("M", bound=BaseModel)


class UnreadableEvent(Exception):
    """An event whose data this projection cannot read: retrying will not help."""


def new_document(dossier_id: str) -> Document:
    return {
        "_id": dossier_id, "version": 0, "owner_id": None, "status": None, "deleted": False,
        "lookup_code": None, "title": None, "procedure_code": None, "procedure_name": None,
        "applicant": None, "form": {}, "created_at": None, "submitted_at": None, "received_at": None,
        "due_date": None, "updated_at": None, "filed_at": None, "reason": None,
        "history": [], "payment": None, "result": None, "search_text": "",
    }


def project(document: Document | None, event: Envelope, procedure_name: ProcedureNames) -> Document:
    """The document once `event` is applied: a new dict; the one given is left untouched."""
    assert event.dossier_id is not None and event.version is not None
    updated = copy.deepcopy(document) if document else new_document(event.dossier_id)
    WHEN.get(event.type, when_other_dossier_event)(updated, event)
    updated["version"] = event.version
    updated["updated_at"] = stored_time(event.occurred_at)
    _derive(updated, procedure_name)
    return updated


def when_draft_created(document: Document, event: Envelope) -> None:
    payload = _read(DraftCreated, event)
    document["owner_id"] = payload.owner_id
    document["created_at"] = stored_time(event.occurred_at)
    _set_content(document, payload.content)
    _change_status(document, event, payload.to_status, payload.from_status, payload.reason)


def when_draft_updated(document: Document, event: Envelope) -> None:
    _set_content(document, _read(DraftUpdated, event).content)


def when_draft_deleted(document: Document, _event: Envelope) -> None:
    # A tombstone rather than a removal: its version still orders later duplicates and waits.
    document["deleted"] = True


def when_dossier_submitted(document: Document, event: Envelope) -> None:
    payload = _read(DossierSubmitted, event)
    document["owner_id"] = payload.owner_id
    document["submitted_at"] = stored_time(event.occurred_at)
    _set_content(document, payload.content)
    _change_status(document, event, payload.to_status, payload.from_status, payload.reason)


def when_other_dossier_event(document: Document, event: Envelope) -> None:
    """A type this service does not know: a status change if it says so, else just a new version."""
    data = event.data
    if data.get("to_status") is None:
        return
    to_status = _status(data["to_status"])
    from_status = _status(data["from_status"]) if data.get("from_status") is not None else None
    for key in ("lookup_code", "due_date", "reason"):
        if data.get(key) is not None:
            document[key] = data[key]
    if data.get("received_at") is not None:
        document["received_at"] = parse_time(data["received_at"])
    if isinstance(data.get("content"), dict):
        _set_content(document, _read(DossierContent, event, data["content"]))
    if to_status is Status.DRAFT:
        # Withdrawn (rút hồ sơ): back among the unsent drafts, filed again when next submitted.
        document["submitted_at"] = None
    _change_status(document, event, to_status, from_status, data.get("reason"))


WHEN: dict[str, Callable[[Document, Envelope], None]] = {
    "dossier.draft_created": when_draft_created,
    "dossier.draft_updated": when_draft_updated,
    "dossier.draft_deleted": when_draft_deleted,
    "dossier.submitted": when_dossier_submitted,
}


def _change_status(document: Document, event: Envelope, to_status: Status, from_status: Status | None,
                   reason: str | None) -> None:
    document["history"].append({
        "at": stored_time(event.occurred_at),
        "from": from_status.value if from_status else document["status"],
        "to": to_status.value,
        "actor": {"kind": event.actor.kind, "id": event.actor.id},
        "reason": reason,
    })
    document["status"] = to_status.value


def _set_content(document: Document, content: DossierContent) -> None:
    document["title"] = content.title
    document["procedure_code"] = content.procedure_code
    document["applicant"] = content.applicant.model_dump(mode="json")
    document["form"] = dict(content.form)


def _derive(document: Document, procedure_name: ProcedureNames) -> None:
    """The fields kept only to answer queries fast: procedure name, search text, filing time."""
    code = document["procedure_code"]
    document["procedure_name"] = procedure_name(code) if code else None
    applicant_name = (document["applicant"] or {}).get("full_name")
    searchable = (document["lookup_code"], document["title"], document["procedure_name"], applicant_name)
    document["search_text"] = fold(" ".join(part for part in searchable if part))
    document["filed_at"] = document["submitted_at"] or document["created_at"]


def _read(model: type[M], event: Envelope, data: dict[str, Any] | None = None) -> M:
    try:
        return model.model_validate(event.data if data is None else data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise UnreadableEvent(f"{event.type} {event.id}: {error.error_count()} invalid fields") from None


def _status(value: object) -> Status:
    try:
        return Status(str(value))
    except ValueError:
        raise UnreadableEvent(f"unknown status {value!r}") from None
