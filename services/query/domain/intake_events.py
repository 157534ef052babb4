"""How intake's events change a dossier's document: drafts (hồ sơ chưa gửi), the files attached to its
component documents (thành phần hồ sơ), submission and resubmission."""

from typing import Any

from services.query.domain.dates import stored_time
from services.query.domain.document import Document, change_status, read, run_clock, set_content
from shared.documents import AttachedFile, SentDocument
from shared.messages import (
    DocumentAttached,
    DocumentRemoved,
    DossierSubmitted,
    DraftContent,
    DraftCreated,
    DraftUpdated,
    Envelope,
)


def apply_draft_created(document: Document, event: Envelope) -> None:
    payload = read(DraftCreated, event)
    document["owner_id"] = payload.owner_id
    document["created_at"] = stored_time(event.occurred_at)
    set_content(document, known_content(event))
    change_status(document, event, payload)


def apply_draft_updated(document: Document, event: Envelope) -> None:
    read(DraftUpdated, event)
    set_content(document, known_content(event))


def with_intake_content(event: Envelope, content: DraftContent) -> Envelope:
    """The event as query keeps it: its outline with the applicant and the form intake answered beside."""
    known = {**event.data.get("content", {}), **content.model_dump(mode="json", include={"applicant", "form"})}
    return event.model_copy(update={"data": {**event.data, "content": known}})


def known_content(event: Envelope) -> DraftContent:
    """The content as query knows it: the event's outline (procedure, title), with the applicant and the form
    intake answered (the reaction adds them, `reactions.with_content`); empty when intake had none to give."""
    return read(DraftContent, event, event.data.get("content"))


def apply_draft_deleted(document: Document, _event: Envelope) -> None:
    # A tombstone rather than a removal: its version still orders later duplicates and waits.
    document["deleted"] = True


def apply_document_attached(document: Document, event: Envelope) -> None:
    """A file attached to one of the dossier's documents (đính kèm tệp); the status stays."""
    payload = read(DocumentAttached, event)
    files = _files_of(document, payload.code)
    if files is None:
        files = []
        document["documents"].append({"code": payload.code, "files": files})
    files.append(_file(payload.file))


def apply_document_removed(document: Document, event: Envelope) -> None:
    """A file not yet sent taken away; a document left without files is no longer listed as having any."""
    payload = read(DocumentRemoved, event)
    for entry in document["documents"]:
        if entry["code"] == payload.code:
            entry["files"] = [file for file in entry["files"] if file["id"] != payload.file_id]
    document["documents"] = [entry for entry in document["documents"] if entry["files"]]


def apply_dossier_submitted(document: Document, event: Envelope) -> None:
    """Sent (nộp), or sent again after a supplement (bổ sung): the content (as intake answered it) replaces the old.

    So do the documents: what was sent is what processing examines, so it replaces whatever the attach and
    remove events built up. A resubmission keeps the first filing time, the day the citizen filed it; a
    withdrawal cleared it, so a dossier sent again after one is filed anew.
    """
    payload = read(DossierSubmitted, event)
    document["owner_id"] = payload.owner_id
    document["submitted_at"] = document["submitted_at"] or stored_time(event.occurred_at)
    set_content(document, known_content(event))
    document["documents"] = [_sent(sent) for sent in payload.documents if sent.files]
    # Sent again: the supplement asked for is in, so no document is requested any more.
    document["requested_documents"] = []
    # Processing restarts the due-date clock on a resubmission and says the new date (due_date_changed).
    run_clock(document)
    change_status(document, event, payload, documents=payload.changed_documents)


def _files_of(document: Document, code: str) -> list[dict[str, Any]] | None:
    for entry in document["documents"]:
        if entry["code"] == code:
            files: list[dict[str, Any]] = entry["files"]
            return files
    return None


def _sent(sent: SentDocument) -> dict[str, Any]:
    return {"code": sent.code, "files": [_file(file) for file in sent.files]}


def _file(file: AttachedFile) -> dict[str, Any]:
    # Metadata only: the bytes stay in intake's blob store. The time in stored form, like every other one.
    return {"id": file.id, "filename": file.filename, "content_type": file.content_type, "size": file.size,
            "sha256": file.sha256, "uploaded_at": stored_time(file.uploaded_at)}
