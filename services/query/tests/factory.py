"""Events of one dossier's life, as its producers would publish them, for the query service's tests."""

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.query.domain.document import Document
from services.query.domain.intake_events import with_intake_content
from services.query.domain.projection import ProcedureNames, project
from shared.documents import AttachedFile, SentDocument
from shared.lifecycle import (
    DossierReceived,
    DossierRejected,
    DossierWithdrawn,
    DueDateChanged,
    ProcessingStarted,
    ResultDeliveryChosen,
    ResultDocument,
    ResultIssued,
    ResultReturned,
    SupplementRequested,
)
from shared.messages import (
    Actor,
    DocumentAttached,
    DocumentRemoved,
    DossierContent,
    DossierSubmitted,
    DraftContent,
    DraftCreated,
    DraftDeleted,
    DraftUpdated,
    Envelope,
    Payload,
    make_event,
)
from shared.procedures import ProcedureDocument
from shared.producers import PRODUCERS

OWNER = "citizen-1"
CITIZEN = Actor(kind="citizen", id=OWNER)
CLERK = Actor(kind="staff", id="clerk-7")
START = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)


def content(title: str = "Cấp giấy phép hành nghề", full_name: str = "Nguyễn Thị Đào",
            procedure_code: str = "SYT-KCB-01") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": title, "form": {"chuyen_mon": "Bác sĩ"},
        "applicant": {"full_name": full_name, "id_number": "001203004005", "phone": "0901234567",
                      "email": "dao@example.vn", "address": "Hà Nội"}})


def event(payload: Payload, version: int, dossier_id: str = "d-1", actor: Actor = CITIZEN,
          at: datetime | None = None, intake_holds: DraftContent | None = None) -> Envelope:
    """The event as its producer publishes it; one of intake's content events as query keeps it once it asked
    intake for the applicant and the form: `intake_holds`, else the default applicant beside its outline."""
    made = make_event(payload, producer=PRODUCERS[payload.message_type], dossier_id=dossier_id, version=version,
                      actor=actor)
    made = made.model_copy(update={"occurred_at": at or START + timedelta(hours=version)})
    if not isinstance(payload, DraftCreated | DraftUpdated | DossierSubmitted):
        return made
    outline = payload.content
    held = intake_holds or DraftContent.model_validate(
        {**content(procedure_code=outline.procedure_code).model_dump(), "title": outline.title})
    return with_intake_content(made, held)


def fold(events: Iterable[Envelope], names: ProcedureNames) -> Document:
    """The document once every event (one at least) is applied in turn, as the live projection would."""
    document: Document | None = None
    for each in events:
        document = project(document, each, names)
    assert document is not None, "nothing to fold"
    return document


def created(owner: str = OWNER, **kwargs: Any) -> DraftCreated:
    return DraftCreated(owner_id=owner, content=content(**kwargs))


def updated(**kwargs: Any) -> DraftUpdated:
    return DraftUpdated(content=content(**kwargs))


def deleted() -> DraftDeleted:
    return DraftDeleted()


def submitted(owner: str = OWNER, documents: Iterable[SentDocument] = (), **kwargs: Any) -> DossierSubmitted:
    return DossierSubmitted(from_status="draft", owner_id=owner, content=content(**kwargs),
                            documents=list(documents))


# --- component documents (thành phần hồ sơ) ------------------------------------------------------------

# The component documents of the procedures the tests use, as a catalog would list them, in its order.
CATALOG_DOCUMENTS = {
    "SYT-KCB-01": (
        ProcedureDocument(code="don-de-nghi", name="Đơn đề nghị cấp giấy phép hành nghề", required=True),
        ProcedureDocument(code="van-bang", name="Bản sao văn bằng chuyên môn", required=True),
        ProcedureDocument(code="anh-chan-dung", name="Ảnh chân dung 4x6", required=False),
    ),
}


def catalog_documents(procedure_code: str) -> tuple[ProcedureDocument, ...]:
    return CATALOG_DOCUMENTS.get(procedure_code, ())


def a_file(file_id: str, filename: str = "tep.pdf", size: int = 1_024, minutes: int = 0) -> AttachedFile:
    """A file's metadata as intake publishes it, uploaded `minutes` after the tests' start."""
    return AttachedFile(id=file_id, filename=filename, content_type="application/pdf", size=size,
                        sha256=hashlib.sha256(file_id.encode()).hexdigest(),
                        uploaded_at=START + timedelta(minutes=minutes))


def attached(code: str, file: AttachedFile) -> DocumentAttached:
    return DocumentAttached(code=code, file=file)


def removed(code: str, file_id: str) -> DocumentRemoved:
    return DocumentRemoved(code=code, file_id=file_id)


def sent(code: str, *files: AttachedFile) -> SentDocument:
    return SentDocument(code=code, files=list(files))


def status_change(type_: str, version: int, data: dict[str, Any], dossier_id: str = "d-1",
                  at: datetime | None = None) -> Envelope:
    """An event as raw data, from whoever writes its type (processing when nobody does)."""
    return Envelope(type=type_, producer=PRODUCERS.get(type_, "processing"), dossier_id=dossier_id,
                    version=version, actor=CLERK, occurred_at=at or START + timedelta(hours=version), data=data)


# --- processing's events ---------------------------------------------------------------------------------

LOOKUP_CODE = "H35.22-250303-0001"


def staff_event(payload: Payload, version: int, dossier_id: str = "d-1", actor: Actor = CLERK) -> Envelope:
    """An event processing publishes for a clerk's command."""
    return event(payload, version, dossier_id=dossier_id, actor=actor)


def withdrawn() -> DossierWithdrawn:
    return DossierWithdrawn()


def received(due: date = date(2025, 3, 24), code: str = LOOKUP_CODE) -> DossierReceived:
    return DossierReceived(lookup_code=code, received_at=START + timedelta(hours=3), due_date=due,
                           processing_days=15, owner_id=OWNER)


def rejected(reason: str = "Không thuộc thẩm quyền") -> DossierRejected:
    return DossierRejected(reason=reason)


def supplement(from_status: str = "received", reason: str = "Thiếu bản sao văn bằng",
               remaining: int | None = 10, documents: Iterable[str] = ()) -> SupplementRequested:
    return SupplementRequested.model_validate({"from_status": from_status, "reason": reason,
                                               "remaining_working_days": remaining, "documents": list(documents)})


def resubmitted(documents: Iterable[SentDocument] = (), changed: Iterable[str] = (),
                **kwargs: Any) -> DossierSubmitted:
    return DossierSubmitted(from_status="supplement_requested", owner_id=OWNER, content=content(**kwargs),
                            documents=list(documents), changed_documents=list(changed))


def due_changed(due: date) -> DueDateChanged:
    return DueDateChanged(due_date=due)


def started(from_status: str = "received") -> ProcessingStarted:
    return ProcessingStarted.model_validate({"from_status": from_status})


def issued(with_document: bool = True) -> ResultIssued:
    document = ResultDocument(id="doc-1", filename="giay-phep.pdf", content_type="application/pdf",
                              size_bytes=52_000) if with_document else None
    return ResultIssued.model_validate({"from_status": "processing", "summary": "Cấp giấy phép số 12/GP",
                                        "document": document})


def delivery(method: str = "online", postal_address: str | None = None) -> ResultDeliveryChosen:
    return ResultDeliveryChosen.model_validate({"method": method, "postal_address": postal_address})


def returned(method: str = "online") -> ResultReturned:
    return ResultReturned.model_validate({"method": method})
