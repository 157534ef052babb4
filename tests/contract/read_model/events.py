"""The events of dossiers' lives as intake and processing publish them, for the read model's suites."""

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.filters import DossierFilters
from services.query.domain.intake_events import with_intake_content
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
    SYSTEM,
    Actor,
    DocumentAttached,
    DocumentRemoved,
    DossierContent,
    DossierSubmitted,
    DraftCreated,
    DraftUpdated,
    Envelope,
    Payload,
    make_event,
)
from shared.producers import PRODUCERS
from shared.timezones import local_zone

OWNER, STRANGER = "citizen-a", "citizen-b"
CLERK = Actor(kind="staff", id="clerk-1")
# 08:30 on 3 March 2025 in Vietnam.
T0 = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)
VIETNAM = local_zone("Asia/Ho_Chi_Minh")
APPLICANT_NAME = "Nguyễn Văn An"


def content(title: str, full_name: str = APPLICANT_NAME, procedure_code: str = "SYT-KCB-01") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": title, "form": {"so_chung_chi": "CC-0042"},
        "applicant": {"full_name": full_name, "id_number": "001203004005", "phone": "0901234567",
                      "email": "an@example.vn", "address": "Đà Nẵng"}})


def event(payload: Payload, dossier_id: str, version: int, at: datetime, owner: str = OWNER) -> Envelope:
    """What the citizen caused (through intake, or processing for a withdrawal)."""
    made = make_event(payload, producer=PRODUCERS[payload.message_type], dossier_id=dossier_id, version=version,
                      actor=Actor(kind="citizen", id=owner))
    return made.model_copy(update={"occurred_at": at})


def staff(payload: Payload, dossier_id: str, version: int, at: datetime) -> Envelope:
    """What a clerk of the Reception Unit caused, as processing publishes it."""
    made = make_event(payload, producer="processing", dossier_id=dossier_id, version=version, actor=CLERK)
    return made.model_copy(update={"occurred_at": at})


def system(payload: Payload, dossier_id: str, version: int, at: datetime) -> Envelope:
    """What processing did on its own (the clock resuming after a resubmission)."""
    made = make_event(payload, producer="processing", dossier_id=dossier_id, version=version, actor=SYSTEM)
    return made.model_copy(update={"occurred_at": at})


def life(dossier_id: str, title: str, *, owner: str = OWNER, at: datetime = T0, submit: bool = True,
         full_name: str = APPLICANT_NAME, procedure_code: str = "SYT-KCB-01") -> list[Envelope]:
    """A draft created, edited and (unless told otherwise) submitted an hour later."""
    body = content(title, full_name, procedure_code)
    # Each content event as query keeps it once it asked intake for the applicant and the form.
    events = [with_intake_content(event(DraftCreated(owner_id=owner, content=body), dossier_id, 1, at, owner), body),
              with_intake_content(event(DraftUpdated(content=body), dossier_id, 2, at + timedelta(minutes=5), owner),
                                  body)]
    if submit:
        events.append(with_intake_content(event(DossierSubmitted(from_status="draft", owner_id=owner, content=body),
                                                dossier_id, 3, at + timedelta(hours=1), owner), body))
    return events


# --- processing's payloads ---------------------------------------------------------------------------


def received(code: str, at: datetime, due: date, owner: str = OWNER) -> DossierReceived:
    return DossierReceived(lookup_code=code, received_at=at, due_date=due, processing_days=15, owner_id=owner)


def withdrawn() -> DossierWithdrawn:
    return DossierWithdrawn()


def rejected(reason: str) -> DossierRejected:
    return DossierRejected(reason=reason)


def supplement(reason: str, remaining: int | None, from_status: str = "received",
               documents: list[str] | None = None) -> SupplementRequested:
    return SupplementRequested.model_validate(
        {"from_status": from_status, "reason": reason, "remaining_working_days": remaining,
         "documents": documents or []})


def resubmitted(title: str, owner: str = OWNER, documents: list[SentDocument] | None = None,
                changed: list[str] | None = None) -> DossierSubmitted:
    return DossierSubmitted(from_status="supplement_requested", owner_id=owner, content=content(title),
                            documents=documents or [], changed_documents=changed or [])


def due_changed(due: date) -> DueDateChanged:
    return DueDateChanged(due_date=due)


def started(from_status: str = "received") -> ProcessingStarted:
    return ProcessingStarted.model_validate({"from_status": from_status})


def issued(summary: str) -> ResultIssued:
    document = ResultDocument(id="doc-9", filename="ket-qua.pdf", content_type="application/pdf",
                              size_bytes=40_960)
    return ResultIssued(from_status="processing", summary=summary, document=document)


def delivery(method: str, postal_address: str | None = None) -> ResultDeliveryChosen:
    return ResultDeliveryChosen.model_validate({"method": method, "postal_address": postal_address})


def returned(method: str) -> ResultReturned:
    return ResultReturned.model_validate({"method": method})


# --- intake's component documents (thành phần hồ sơ) -----------------------------------------------


def a_file(file_id: str, filename: str, at: datetime, size: int = 120_000) -> AttachedFile:
    """A file's metadata as intake publishes it (the bytes stay in intake's blob store)."""
    return AttachedFile(id=file_id, filename=filename, content_type="application/pdf", size=size,
                        sha256=hashlib.sha256(file_id.encode()).hexdigest(), uploaded_at=at)


def attached(code: str, file: AttachedFile) -> DocumentAttached:
    return DocumentAttached(code=code, file=file)


def removed(code: str, file_id: str) -> DocumentRemoved:
    return DocumentRemoved(code=code, file_id=file_id)


def sent(code: str, *files: AttachedFile) -> SentDocument:
    return SentDocument(code=code, files=list(files))


# --- a whole life ------------------------------------------------------------------------------------

CODE = "H48.25-0303-0007"
ASKED = "Thiếu bản sao chứng chỉ hành nghề"
DAY = timedelta(days=1)


def full_life(dossier_id: str = "d1") -> list[Envelope]:
    """draft → submitted → received → supplement → submitted again → new due date → received again →
    processing → result → delivery chosen → returned: versions 1 to 12, intake's and processing's in one
    sequence. Processing receives a resubmitted dossier again (the catalog has no submitted → processing),
    with the same lookup code and reception time, and the resumed due date."""
    return [
        *life(dossier_id, "Giấy phép hành nghề"),
        staff(received(CODE, T0 + DAY, date(2025, 3, 24)), dossier_id, 4, T0 + DAY),
        staff(supplement(ASKED, remaining=10), dossier_id, 5, T0 + 2 * DAY),
        event(resubmitted("Giấy phép hành nghề (đã bổ sung)"), dossier_id, 6, T0 + 3 * DAY),
        system(due_changed(date(2025, 3, 28)), dossier_id, 7, T0 + 3 * DAY),
        staff(received(CODE, T0 + DAY, date(2025, 3, 28)), dossier_id, 8, T0 + 3 * DAY + timedelta(hours=2)),
        staff(started(), dossier_id, 9, T0 + 4 * DAY),
        staff(issued("Cấp giấy phép hành nghề số 12/GP"), dossier_id, 10, T0 + 10 * DAY),
        event(delivery("online"), dossier_id, 11, T0 + 11 * DAY),
        staff(returned("online"), dossier_id, 12, T0 + 12 * DAY),
    ]


# --- applying and reading ----------------------------------------------------------------------------


async def apply_all(repo: ReadModelRepository, events: list[Envelope]) -> None:
    for each in events:
        await repo.apply(each)


async def ids(repo: ReadModelRepository, owner: str | None = OWNER, **filters: Any) -> list[str]:
    """The dossier ids listed for `owner` (None: the staff view), newest change first."""
    items, _total = await repo.list_dossiers(owner, DossierFilters(**filters), 1, 100)
    return [item["_id"] for item in items]
