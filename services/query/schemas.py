"""The internal API's answers, as DESIGN.md names them (the gateway passes them on to the portal)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ActorPublic(BaseModel):
    kind: str
    id: str


class HistoryEntryPublic(BaseModel):
    """One status change (lịch sử xử lý): when, from what, to what, by whom, why."""

    model_config = ConfigDict(populate_by_name=True)

    at: datetime
    from_status: str | None = Field(alias="from")
    to: str
    actor: ActorPublic
    reason: str | None = None
    documents: list[str] = Field(default_factory=list, description=(
        "Mã thành phần hồ sơ the change concerns: those a supplement request asks for, those a resubmission "
        "brought new files to"))


class DossierListItem(BaseModel):
    id: str
    lookup_code: str | None = Field(description="Mã hồ sơ; null until the dossier is received")
    title: str | None
    procedure_code: str | None
    procedure_name: str | None
    status: str
    status_label: str
    created_at: datetime | None
    submitted_at: datetime | None
    due_date: str | None = Field(description="Hạn giải quyết (YYYY-MM-DD)")
    overdue: bool
    version: int
    # The component documents' fields have defaults so that a reader checking an answer against these
    # models still accepts one from a query replica that predates them (a rolling upgrade).
    attached_files: int = Field(default=0, description="How many files are attached, in all documents")


class ResultDocumentPublic(BaseModel):
    """The result document's metadata; the file itself is downloaded from processing, through the gateway."""

    filename: str
    content_type: str
    size_bytes: int


class ResultPublic(BaseModel):
    """The result (kết quả giải quyết): its summary, how it is delivered, and whether it can be downloaded."""

    summary: str | None
    delivery_method: str | None = Field(description="online, at_office, postal; null until chosen")
    postal_address: str | None
    downloadable: bool
    document: ResultDocumentPublic | None


class FeeLinePublic(BaseModel):
    kind: str = Field(description="phi (phí) or le_phi (lệ phí)")
    name: str
    amount_vnd: int


class PaymentPublic(BaseModel):
    """The payment (thanh toán): what to pay, the ways to pay, how it stands, and the receipt once paid."""

    state: str = Field(description="requested, pending, failed, paid")
    amount_vnd: int | None
    items: list[FeeLinePublic]
    methods: list[str] = Field(description="How it may be paid: online, at_office, postal")
    method: str | None = Field(description="How the citizen chose to pay (or paid)")
    provider: str | None
    receipt_number: str | None = Field(description="Số biên lai, once paid")
    paid_at: datetime | None


class NotificationPublic(BaseModel):
    """One notification about the dossier and whether it reached the registered address."""

    template: str
    label: str
    channel: str
    state: str
    state_label: str
    at: datetime


class FileInfo(BaseModel):
    """One file attached to a component document (tệp đính kèm): metadata only, the bytes stay with intake."""

    id: str
    filename: str
    content_type: str = Field(description="application/pdf, image/jpeg, image/png")
    size: int = Field(description="Bytes")
    sha256: str
    uploaded_at: datetime


class DocumentFiles(BaseModel):
    """A component document of the dossier (thành phần hồ sơ), as its procedure lists it, and its files."""

    code: str
    name: str = Field(description="The catalog's name; the code itself for a document the catalog no longer lists")
    required: bool
    requested: bool = Field(description="The latest supplement request asks the citizen to complete it")
    files: list[FileInfo]


class DossierDetail(DossierListItem):
    received_at: datetime | None
    updated_at: datetime | None
    processing_days: int | None = Field(description="Thời hạn giải quyết (ngày làm việc)")
    clock_paused: bool = Field(description="The due-date clock is stopped while a supplement is awaited")
    remaining_working_days: int | None = Field(description="Working days left when the clock stopped")
    reason: str | None = Field(description="Why the latest supplement request or rejection was made")
    applicant: dict[str, Any] | None
    form: dict[str, Any]
    history: list[HistoryEntryPublic]
    actions: list[str] = Field(description="edit, delete, submit, withdraw, pay, choose_delivery, "
                                           "download_result")
    payment: PaymentPublic | None
    result: ResultPublic | None
    notifications: list[NotificationPublic] = Field(default_factory=list)
    documents: list[DocumentFiles] = Field(default_factory=list, description=(
        "Every document the procedure lists, in catalog order, then any other one with files or requested"))


class LookupHistoryEntry(BaseModel):
    at: datetime
    to: str


class LookupAnswer(BaseModel):
    """A dossier followed by its lookup code (tra cứu hồ sơ), by anyone: nothing personal in it."""

    lookup_code: str
    procedure_name: str | None
    status: str
    status_label: str
    received_at: datetime | None
    due_date: str | None = Field(description="Hạn giải quyết (YYYY-MM-DD)")
    history: list[LookupHistoryEntry]


class DossiersPage(BaseModel):
    items: list[DossierListItem]
    total: int
    page: int
    page_size: int


class VersionReached(BaseModel):
    id: str
    version: int | None = Field(description="The version the read model holds; null when it has none")
    reached: bool


class Rebuilt(BaseModel):
    dossiers: int
