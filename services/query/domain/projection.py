"""The projection (phép chiếu): how one event changes a dossier's read-model document. Pure, no I/O.

Each known event type has its `apply_<event>` function in `APPLY` (intake's in `intake_events`,
processing's in `processing_events`, payment's in `payment_events`). Any other type is unreadable: a type
that merely says where the dossier went (`to_status`) could move any dossier anywhere, so a new status
shows up only once its event has its `apply_<event>` here.
"""

import copy
from collections.abc import Callable

from services.query.domain import intake_events as intake
from services.query.domain import payment_events as payment
from services.query.domain import processing_events as processing
from services.query.domain.dates import stored_time
from services.query.domain.document import (
    Document,
    UnreadableEvent,
    new_document,
)
from services.query.domain.paging import listed_at
from services.query.domain.search import fold, lookup_key
from shared.messages import Envelope

__all__ = ["APPLY", "Document", "ProcedureNames", "UnreadableEvent", "new_document", "project"]

ProcedureNames = Callable[[str], str | None]


def project(document: Document | None, event: Envelope, procedure_name: ProcedureNames) -> Document:
    """The document once `event` is applied: a new dict; the one given is left untouched.

    A document stored before a field existed (the component documents, say) gets that field's starting
    value, so the folds can rely on every field without a rebuild first.
    """
    assert event.dossier_id is not None and event.version is not None
    updated = new_document(event.dossier_id) | (copy.deepcopy(document) if document else {})
    apply = APPLY.get(event.type)
    if apply is None:
        raise UnreadableEvent(f"{event.type[:64]} {event.id}: not an event the read model knows")
    apply(updated, event)
    updated["version"] = event.version
    updated["updated_at"] = stored_time(event.occurred_at)
    _derive(updated, procedure_name)
    return updated


APPLY: dict[str, Callable[[Document, Envelope], None]] = {
    "dossier.draft_created": intake.apply_draft_created,
    "dossier.draft_updated": intake.apply_draft_updated,
    "dossier.draft_deleted": intake.apply_draft_deleted,
    "dossier.document_attached": intake.apply_document_attached,
    "dossier.document_removed": intake.apply_document_removed,
    "dossier.submitted": intake.apply_dossier_submitted,
    "dossier.withdrawn": processing.apply_dossier_withdrawn,
    "dossier.received": processing.apply_dossier_received,
    "dossier.rejected": processing.apply_dossier_rejected,
    "dossier.supplement_requested": processing.apply_supplement_requested,
    "dossier.due_date_changed": processing.apply_due_date_changed,
    "dossier.rescheduled": processing.apply_dossier_rescheduled,
    "dossier.due_soon": processing.apply_deadline_warning,
    "dossier.overdue": processing.apply_deadline_warning,
    "dossier.processing_started": processing.apply_processing_started,
    "dossier.result_issued": processing.apply_result_issued,
    "dossier.result_delivery_chosen": processing.apply_result_delivery_chosen,
    "dossier.result_returned": processing.apply_result_returned,
    "dossier.rated": processing.apply_dossier_rated,
    "dossier.payment_requested": payment.apply_payment_requested,
    "dossier.payment_started": payment.apply_payment_started,
    "dossier.payment_failed": payment.apply_payment_failed,
    "dossier.paid": payment.apply_dossier_paid,
}


def _derive(document: Document, procedure_name: ProcedureNames) -> None:
    """The fields kept only to answer queries fast: procedure name, lookup key, search text, filing time,
    how many files are attached, the key the lists are ordered by."""
    code = document["procedure_code"]
    document["procedure_name"] = procedure_name(code) if code else None
    document["lookup_key"] = lookup_key(document["lookup_code"]) if document["lookup_code"] else None
    applicant_name = (document["applicant"] or {}).get("full_name")
    searchable = (document["lookup_code"], document["title"], document["procedure_name"], applicant_name)
    document["search_text"] = fold(" ".join(part for part in searchable if part))
    document["filed_at"] = document["submitted_at"] or document["created_at"]
    document["attached_files"] = sum(len(entry["files"]) for entry in document["documents"])
    document["listed_at"] = listed_at(document)
