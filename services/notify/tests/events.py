"""Status-change events as intake, processing and payment publish them, for notify's tests."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from shared.lifecycle import (
    DossierReceived,
    DossierRejected,
    DossierRescheduled,
    ResultDocument,
    ResultIssued,
    ResultReturned,
    SupplementRequested,
)
from shared.messages import Actor, DossierContent, DossierSubmitted, Envelope, Payload
from shared.payments import DossierPaid, FeeLine, PaymentRequested

OWNER = "citizen-1"
# The address the citizen registered with their account (the token's email claim), which intake answers
# (fakes.KnownContacts)...
REGISTERED = "binh.tran@example.vn"
# ... and the one typed into the form, which may be anyone's.
TYPED_IN_FORM = "someone-else@example.org"
LOOKUP_CODE = "000.00.17.H00-260303-0001"
# The phone registered with the account (the token's phone_number claim); the form's is 0912000111.
REGISTERED_PHONE = "+84987654321"
STAFF = Actor(kind="staff", id="clerk-7")


def new_dossier_id() -> str:
    return f"d-{uuid4().hex[:10]}"


def envelope(payload: Payload, dossier_id: str, version: int, *, producer: str = "processing",
             actor: Actor = STAFF, **fields: Any) -> Envelope:
    return Envelope(type=payload.message_type, producer=producer, dossier_id=dossier_id, version=version,
                    actor=actor, correlation_id=f"corr-{uuid4().hex[:6]}", data=payload.model_dump(mode="json"),
                    **fields)


def content(title: str = "Cấp lại chứng chỉ hành nghề", procedure_code: str = "SYT-KCB-01") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": title,
        "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190000222", "phone": "0912000111",
                      "email": TYPED_IN_FORM, "address": "Hà Nội"},
        "form": {"chuyen_mon": "Điều dưỡng", "pham_vi": "Chăm sóc người bệnh"}})


def submitted(dossier_id: str, version: int = 2, *, title: str = "Cấp lại chứng chỉ hành nghề") -> Envelope:
    payload = DossierSubmitted(from_status="draft", owner_id=OWNER, content=content(title))
    return envelope(payload, dossier_id, version, producer="intake", actor=Actor(kind="citizen", id=OWNER))


def received(dossier_id: str, version: int = 3, *, first_reception: bool = True,
             lookup_code: str = LOOKUP_CODE) -> Envelope:
    return envelope(DossierReceived(
        lookup_code=lookup_code, received_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC), due_date=date(2026, 3, 31),
        processing_days=20, first_reception=first_reception, owner_id=OWNER), dossier_id, version)


def rejected(dossier_id: str, version: int = 3, reason: str = "Thiếu bản sao văn bằng chuyên môn") -> Envelope:
    return envelope(DossierRejected(reason=reason), dossier_id, version)


def supplement_requested(dossier_id: str, version: int = 4, reason: str = "Bổ sung ảnh 4x6") -> Envelope:
    return envelope(SupplementRequested(from_status="received", reason=reason, remaining_working_days=15),
                    dossier_id, version)


def payment_requested(dossier_id: str, version: int = 4, reason: str | None = None) -> Envelope:
    return envelope(PaymentRequested(
        from_status="received", items=[FeeLine(kind="phi", name="Phí thẩm định", amount_vnd=360_000)],
        amount_vnd=360_000, procedure_code="SYT-KCB-01", owner_id=OWNER, reason=reason), dossier_id, version)


def paid(dossier_id: str, version: int = 5) -> Envelope:
    return envelope(DossierPaid(payment_id="pay-1", method="at_office", amount_vnd=360_000,
                                receipt_number="BL-0001234", paid_at=datetime(2026, 3, 5, 17, 30, tzinfo=UTC)),
                    dossier_id, version, producer="payment")


def result_issued(dossier_id: str, version: int = 6) -> Envelope:
    return envelope(ResultIssued(
        from_status="processing", summary="Cấp chứng chỉ hành nghề số 123/HCM-CCHN",
        document=ResultDocument(id="doc-1", filename="ket-qua.pdf", content_type="application/pdf",
                                size_bytes=1024)), dossier_id, version)


def result_returned(dossier_id: str, version: int = 7) -> Envelope:
    return envelope(ResultReturned(method="online"), dossier_id, version)


def rescheduled(dossier_id: str, version: int = 5) -> Envelope:
    return envelope(DossierRescheduled(
        status="processing", previous_due_date=date(2026, 3, 31), new_due_date=date(2026, 4, 7),
        original_due_date=date(2026, 3, 31), reason="Chờ ý kiến thẩm định", late=False, owner_id=OWNER),
        dossier_id, version)
