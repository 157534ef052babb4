"""The public API's shapes (DESIGN.md): what portal frontends send and receive."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.messages import Applicant, DossierContent, FormValue
from shared.statuses import Status


class StatusOut(BaseModel):
    code: Status
    label: str


class FeeItemOut(BaseModel):
    kind: str
    name: str
    amount_vnd: int


class FormFieldOut(BaseModel):
    name: str
    label: str
    type: str
    required: bool


class ProcedureOut(BaseModel):
    code: str
    name: str
    field: str
    fee_vnd: int
    fee_items: list[FeeItemOut]
    processing_days: int
    form_fields: list[FormFieldOut]


class DossierCreate(DossierContent):
    """A new draft (hồ sơ chưa gửi): the procedure, a title, the applicant and the form."""

    model_config = ConfigDict(extra="forbid")


class DossierPatch(BaseModel):
    """The parts of a draft to replace; parts left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    applicant: Applicant | None = None
    form: dict[str, FormValue] | None = Field(default=None, max_length=100)


class CommandAnswer(BaseModel):
    id: str
    status: str
    version: int


class HistoryEntry(BaseModel):
    at: datetime
    from_: str | None = Field(default=None, alias="from")
    to: str
    actor: dict[str, Any] | None = None
    reason: str | None = None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class DossierListItem(BaseModel):
    id: str
    lookup_code: str | None
    title: str
    procedure_code: str
    procedure_name: str | None
    status: Status
    status_label: str
    created_at: datetime
    submitted_at: datetime | None
    due_date: date | None
    overdue: bool
    version: int


class DossierPage(BaseModel):
    items: list[DossierListItem]
    total: int
    page: int
    page_size: int


class ResultDocumentOut(BaseModel):
    filename: str
    content_type: str
    size_bytes: int


class ResultOut(BaseModel):
    """The result (kết quả): its summary, how it is delivered, and whether it can be downloaded now."""

    summary: str
    delivery_method: str | None = None
    postal_address: str | None = None
    downloadable: bool
    document: ResultDocumentOut | None = None


class PaymentAnswer(CommandAnswer):
    """The citizen's payment: the dossier's status and version, and the payment standing for the way chosen."""

    payment_id: str
    method: str
    state: str = Field(description="pending until the provider or staff settle it")
    amount_vnd: int
    provider: str | None = None
    checkout_url: str | None = Field(default=None, description="Online: where the browser goes to pay")


class PaymentOut(BaseModel):
    """The payment (thanh toán phí, lệ phí): what to pay, the ways to pay, how it stands, the receipt."""

    state: str = Field(description="requested, pending, failed, paid")
    amount_vnd: int | None
    items: list[FeeItemOut]
    methods: list[str] = Field(default_factory=list, description="online, at_office, postal")
    method: str | None = None
    provider: str | None = None
    receipt_number: str | None = Field(default=None, description="Số biên lai")
    paid_at: datetime | None = None


class NotificationOut(BaseModel):
    """A notification about the dossier (email to the registered address) and whether it was sent."""

    template: str
    label: str
    channel: str
    state: str
    state_label: str
    at: datetime


class DossierDetail(DossierListItem):
    received_at: datetime | None = None
    processing_days: int | None = None
    clock_paused: bool = False
    remaining_working_days: int | None = None
    reason: str | None = Field(default=None, description="Lý do của yêu cầu bổ sung hoặc từ chối gần nhất")
    applicant: dict[str, Any]
    form: dict[str, Any]
    history: list[HistoryEntry]
    actions: list[str]
    payment: PaymentOut | None = None
    result: ResultOut | None = None
    notifications: list[NotificationOut] = Field(default_factory=list)


class DevToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
