"""How intake's events change a dossier's document: drafts (hồ sơ chưa gửi), submission, resubmission."""

from services.query.domain.dates import stored_time
from services.query.domain.document import Document, change_status, read, run_clock, set_content
from shared.messages import DossierSubmitted, DraftCreated, DraftUpdated, Envelope


def apply_draft_created(document: Document, event: Envelope) -> None:
    payload = read(DraftCreated, event)
    document["owner_id"] = payload.owner_id
    document["created_at"] = stored_time(event.occurred_at)
    set_content(document, payload.content)
    change_status(document, event, payload)


def apply_draft_updated(document: Document, event: Envelope) -> None:
    set_content(document, read(DraftUpdated, event).content)


def apply_draft_deleted(document: Document, _event: Envelope) -> None:
    # A tombstone rather than a removal: its version still orders later duplicates and waits.
    document["deleted"] = True


def apply_dossier_submitted(document: Document, event: Envelope) -> None:
    """Sent (nộp), or sent again after a supplement (bổ sung): the content travels whole and replaces the old.

    A resubmission keeps the first filing time, the day the citizen filed it; a withdrawal cleared it, so
    a dossier sent again after one is filed anew.
    """
    payload = read(DossierSubmitted, event)
    document["owner_id"] = payload.owner_id
    document["submitted_at"] = document["submitted_at"] or stored_time(event.occurred_at)
    set_content(document, payload.content)
    # Processing restarts the due-date clock on a resubmission and says the new date (due_date_changed).
    run_clock(document)
    change_status(document, event, payload)
