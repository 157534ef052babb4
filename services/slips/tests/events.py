"""The events the slips service reacts to, as intake, processing and payment publish them."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from shared.documents import AttachedFile, SentDocument
from shared.lifecycle import DossierReceived, DossierRejected, DossierRescheduled, SupplementRequested
from shared.messages import Actor, DossierContent, DossierSubmitted, Envelope, Payload, SentOutline
from shared.payments import DossierPaid, FeeLine
from shared.producers import PRODUCERS

OWNER = "citizen-1"
LOOKUP_CODE = "000.00.17.H00-261202-0042"
STAFF = Actor(kind="staff", id="clerk-7", name="Lê Văn Cán")
RECEIVED_AT = datetime(2026, 12, 2, 2, 5, tzinfo=UTC)  # 9 giờ 05 phút in Vietnam
DUE = date(2026, 12, 30)


def new_dossier_id() -> str:
    return f"d-{uuid4().hex[:10]}"


def envelope(payload: Payload, dossier_id: str, version: int, **fields: Any) -> Envelope:
    # From the service that writes that type, as consumers check (shared/producers.py).
    return Envelope(type=payload.message_type, producer=PRODUCERS[payload.message_type], dossier_id=dossier_id,
                    version=version, actor=STAFF, correlation_id=f"corr-{uuid4().hex[:6]}",
                    data=payload.model_dump(mode="json"), **fields)


def _file(name: str) -> AttachedFile:
    return AttachedFile(id=uuid4().hex[:12], filename=name, content_type="application/pdf", size=1200,
                        sha256="a" * 64, uploaded_at=RECEIVED_AT)


# What intake holds of every dossier of these tests, and answers slips (the events carry only its outline).
CONTENT = DossierContent.model_validate({
    "procedure_code": "SYT-KCB-01", "title": "Cấp giấy phép hành nghề cho bác sĩ Bình",
    "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190000222", "phone": "0912000111",
                  "email": "binh@example.vn", "address": "12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội"},
    "form": {"chuyen_mon": "Bác sĩ", "pham_vi": "Nội khoa"}})


def submitted(dossier_id: str, version: int = 2) -> Envelope:
    payload = DossierSubmitted(from_status="draft", owner_id=OWNER,
                               content=SentOutline.of(CONTENT), documents=[
        SentDocument(code="don-de-nghi", files=[_file("don.pdf")]),
        SentDocument(code="van-bang-chuyen-mon", files=[_file("bang-1.pdf"), _file("bang-2.pdf")])])
    return Envelope(type=payload.message_type, producer="intake", dossier_id=dossier_id, version=version,
                    actor=Actor(kind="citizen", id=OWNER), data=payload.model_dump(mode="json"))


def received(dossier_id: str, version: int = 3) -> Envelope:
    return envelope(DossierReceived(lookup_code=LOOKUP_CODE, received_at=RECEIVED_AT, due_date=DUE,
                                    processing_days=20, owner_id=OWNER),
                    dossier_id, version)


def supplement_requested(dossier_id: str, version: int = 4) -> Envelope:
    return envelope(SupplementRequested(from_status="received", reason="Văn bằng chưa được chứng thực",
                                        remaining_working_days=12, documents=["van-bang-chuyen-mon"]),
                    dossier_id, version)


def rejected(dossier_id: str, version: int = 3) -> Envelope:
    return envelope(DossierRejected(reason="Hồ sơ không thuộc thẩm quyền giải quyết của Sở Y tế"),
                    dossier_id, version)


def paid(dossier_id: str, version: int = 5) -> Envelope:
    return envelope(DossierPaid(payment_id="pay-1", method="online", amount_vnd=360000, receipt_number="BL-0000123",
                                paid_at=RECEIVED_AT, items=[FeeLine(kind="phi", name="Phí thẩm định cấp giấy phép",
                                                                    amount_vnd=360000)]),
                    dossier_id, version)


def rescheduled(dossier_id: str, version: int = 4) -> Envelope:
    return envelope(DossierRescheduled(status="processing", previous_due_date=DUE, new_due_date=date(2027, 1, 8),
                                       original_due_date=DUE, reason="Chờ kết quả thẩm định của Hội đồng chuyên môn",
                                       late=False, owner_id=OWNER),
                    dossier_id, version)
