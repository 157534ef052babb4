"""The read model's answers (mô hình đọc): dossiers as query serves them and the gateway's `/v1` publishes them.

They are the contract between query and its readers (the gateway, and through it the portal), so there is
one copy: query answers with these classes and the gateway checks what it passes on against the same ones.
The names are those of the published document (docs/openapi.json).
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.documents import AttachedFile
from shared.statuses import Status


class ActorOut(BaseModel):
    """Who made a status change: a citizen, a staff member or the system (`kind`), their id and, for a staff
    member, the name they act under (cán bộ Nguyễn Thị Lan)."""

    kind: str
    id: str
    name: str | None = Field(default=None, description="The officer's name; only ever for `kind` staff")


class HistoryEntry(BaseModel):
    """One status change (lịch sử xử lý): when, from what, to what, by whom, why."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    at: datetime
    from_status: str | None = Field(default=None, alias="from")
    to: str
    actor: ActorOut
    reason: str | None = None
    documents: list[str] = Field(default_factory=list, description=(
        "On a sending again after a supplement: the documents (codes) that got new files; "
        "on a supplement request: the documents asked for"))
    rescheduled_to: date | None = Field(default=None, description=(
        "On a reschedule (hẹn lại ngày trả kết quả; from and to are the same status): the new appointment"))


class DossierListItem(BaseModel):
    id: str
    lookup_code: str | None = Field(description="Mã hồ sơ; null until the dossier is received")
    title: str | None = Field(description="Tên hồ sơ; null on a draft saved without one (a sent dossier has one)")
    applicant_name: str | None = Field(default=None, description=(
        "Người nộp: the applicant's full name; null on a draft saved without it"))
    procedure_code: str
    procedure_name: str | None
    status: Status
    status_label: str
    created_at: datetime
    submitted_at: datetime | None
    due_date: date | None = Field(description="Hạn giải quyết (YYYY-MM-DD)")
    overdue: bool
    working_days_left: int | None = Field(default=None, description=(
        "Còn N ngày làm việc: working days to the due date, today not counted (0 on it and once past); while "
        "the clock is stopped for a supplement, what was left when it stopped; null without a running clock"))
    deadline_state: Literal["on_track", "due_soon", "overdue", "paused"] | None = Field(default=None, description=(
        "on_track (còn hạn), due_soon (sắp đến hạn: DUE_SOON_WORKING_DAYS working days or fewer left), "
        "overdue (quá hạn), paused (tạm dừng, awaiting a supplement); null without a running clock"))
    original_due_date: date | None = Field(default=None, description=(
        "Hạn giải quyết ban đầu, once rescheduled: `due_date` is then the new appointment (ngày hẹn trả mới)"))
    rescheduled_late: bool = Field(default=False, description=(
        "Rescheduled after its due date had passed: counted late in the statistics"))
    version: int
    attached_files: int = Field(default=0, description="Số tệp đính kèm: files attached to all the documents")


# A list's cursor (next_cursor, prev_cursor): opaque to clients, but every text of this form is a place the
# query service can start a page at (milliseconds up to 2286, a page up to 99,999, a dossier id).
CURSOR_PATTERN = r"^([0-9]{1,13})\.([ab])\.([1-9][0-9]{0,4})\.([A-Za-z0-9-]{1,64})$"


class DossierPage(BaseModel):
    """One page of a list. `next_cursor` (`prev_cursor`) is where the next (previous) page starts, null on
    the last (first): paging by cursor lists every dossier that stays in the list once, however it changes."""

    items: list[DossierListItem]
    total: int
    page: int
    page_size: int
    next_cursor: str | None = None
    prev_cursor: str | None = None


class ResultDocumentOut(BaseModel):
    """The result document's metadata; the file itself is downloaded on its own (`GET /v1/dossiers/{id}/result`)."""

    filename: str
    content_type: str
    size_bytes: int


class ResultOut(BaseModel):
    """The result (kết quả): its summary, how it is delivered, and whether it can be downloaded now."""

    summary: str
    delivery_method: str | None = Field(default=None, description="online, at_office, postal; null until chosen")
    postal_address: str | None = None
    tracking_number: str | None = Field(default=None, description="Mã vận đơn, once the result is posted")
    downloadable: bool
    document: ResultDocumentOut | None = None


class FeeItemOut(BaseModel):
    kind: str = Field(description="phi (phí) or le_phi (lệ phí)")
    name: str
    amount_vnd: int


class PaymentOut(BaseModel):
    """A payment request (thanh toán phí, lệ phí): what to pay and why, ways to pay, how it stands, the receipt."""

    state: str = Field(description="requested, pending, failed, paid")
    amount_vnd: int | None
    items: list[FeeItemOut]
    reason: str | None = Field(default=None, description=(
        "Why staff asked; always given for an additional fee (khoản phí bổ sung) on a dossier paid before"))
    methods: list[str] = Field(default_factory=list, description="online, at_office, postal")
    method: str | None = Field(default=None, description="How the citizen chose to pay (or paid)")
    provider: str | None = None
    receipt_number: str | None = Field(default=None, description="Số biên lai")
    paid_at: datetime | None = None
    requested_at: datetime | None = Field(default=None, description=(
        "When staff asked to pay: a fee paid at the office or by post is due within the office's payment_days"))
    pay_by: date | None = Field(default=None, description=(
        "Hạn nộp (YYYY-MM-DD): the last day to pay at the office or by post, counted in working days by "
        "processing; null for a request made before it was computed"))


class NotificationOut(BaseModel):
    """A notification about the dossier (email to the registered address, SMS to the registered phone) and
    whether it was sent."""

    template: str
    label: str
    channel: str = Field(description="email | sms: how the citizen was told")
    state: str
    state_label: str
    at: datetime


class SlipOut(BaseModel):
    """A slip issued for the dossier (giấy tiếp nhận, phiếu bổ sung, từ chối, biên lai): a signed PDF at `url`."""

    kind: str = Field(description="receipt, supplement, refusal, apology, fee-receipt")
    title: str
    number: str = Field(description="Số phiếu, as printed")
    issued_at: datetime
    url: str = Field(description=(
        "Where to download it (application/pdf): the newest slip of its kind at /v1/dossiers/{id}/slips/{kind}, "
        "an earlier one with its `slip_id`"))


class DocumentOut(BaseModel):
    """One of the procedure's documents (thành phần hồ sơ) and the files attached to it."""

    code: str
    name: str
    required: bool
    requested: bool = Field(description="Named by the last supplement request (yêu cầu bổ sung)")
    files: list[AttachedFile]


class RatingOut(BaseModel):
    """The citizen's rating of the service (đánh giá mức độ hài lòng), given once the result was returned."""

    level: str = Field(description="very_satisfied, satisfied, dissatisfied")
    label: str = Field(description="Rất hài lòng, Hài lòng, Không hài lòng")
    comment: str | None = Field(default=None, description="Ý kiến; always given when dissatisfied")
    rated_at: datetime


class ApplicantOut(BaseModel):
    """The applicant (người nộp hồ sơ) as far as the dossier has them: a draft may be saved without any of
    these (null); a dossier that was sent has them all."""

    full_name: str | None = None
    id_number: str | None = Field(default=None, description="Số định danh cá nhân")
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class DossierDetail(DossierListItem):
    received_at: datetime | None = None
    updated_at: datetime
    processing_days: int | None = Field(default=None, description="Thời hạn giải quyết (ngày làm việc)")
    clock_paused: bool = Field(default=False,
                               description="The due-date clock is stopped while a supplement is awaited")
    remaining_working_days: int | None = Field(default=None, description="Working days left when the clock stopped")
    reason: str | None = Field(default=None, description="Lý do của yêu cầu bổ sung hoặc từ chối gần nhất")
    applicant: ApplicantOut
    form: dict[str, Any]
    history: list[HistoryEntry]
    actions: list[str] = Field(description="edit, delete, submit, withdraw, pay, pay_online (switch "
                                           "from paying at the office or by post), choose_delivery, "
                                           "download_result, rate (once the result is returned, until "
                                           "rated)")
    payment: PaymentOut | None = Field(default=None, description="The latest payment request")
    payments: list[PaymentOut] = Field(default_factory=list, description=(
        "Every payment request of the dossier, oldest first, each with its receipt once paid; the last one is "
        "`payment`"))
    result: ResultOut | None = None
    rating: RatingOut | None = Field(default=None, description="Null until the citizen rates the service")
    notifications: list[NotificationOut] = Field(default_factory=list)
    slips: list[SlipOut] = Field(default_factory=list, description="The slips issued, oldest first")
    documents: list[DocumentOut] = Field(default_factory=list, description=(
        "Every document of the procedure, in the catalog's order, with its files"))


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
    due_date: date | None = Field(description="Hạn giải quyết (YYYY-MM-DD)")
    history: list[LookupHistoryEntry]



class RatingCounts(BaseModel):
    """How many ratings of each level (mức độ hài lòng), and in all."""

    very_satisfied: int
    satisfied: int
    dissatisfied: int
    total: int


class RatingSummaryRow(BaseModel):
    """The ratings of one procedure in one month (Vietnam time)."""

    procedure_code: str
    procedure_name: str | None
    month: str = Field(description="YYYY-MM, the month the ratings were given in, in Vietnam")
    counts: RatingCounts


class RatingSummary(BaseModel):
    """Satisfaction ratings counted per procedure and month (tổng hợp đánh giá mức độ hài lòng), for staff."""

    from_month: str | None = Field(description="YYYY-MM, the first month counted; null: from the first rating")
    to_month: str | None = Field(description="YYYY-MM, the last month counted; null: up to now")
    procedure_code: str | None = Field(description="The procedure counted; null: every procedure")
    rows: list[RatingSummaryRow] = Field(description="By procedure code, then month")
    totals: RatingCounts


class DeadlineCounts(BaseModel):
    """How the dossiers received stand against their due dates: each counted under `received` and under exactly
    one of `resolved_on_time`, `resolved_late`, `overdue`, `in_progress`; `rescheduled_late` beside those."""

    received: int = Field(description="Tiếp nhận")
    resolved_on_time: int = Field(description="Đã có kết quả đúng hạn (by the due date in force)")
    resolved_late: int = Field(description="Đã có kết quả trễ hạn; a dossier rescheduled after its due date counts "
                                           "here even when its result came by the new date")
    rescheduled_late: int = Field(description="Xin lỗi, hẹn lại (trễ hạn): rescheduled after the due date had passed")
    overdue: int = Field(description="Chưa có kết quả, quá hạn")
    in_progress: int = Field(description="Chưa có kết quả, trong hạn (a clock paused for a supplement included)")


class DeadlineStatisticsRow(BaseModel):
    """The dossiers of one procedure received in one month (Vietnam time)."""

    procedure_code: str
    procedure_name: str | None
    month: str = Field(description="YYYY-MM, the month the dossiers were received in, in Vietnam")
    counts: DeadlineCounts


class DeadlineStatistics(BaseModel):
    """Thống kê tình hình giải quyết hồ sơ: the dossiers received per procedure and month and how they stand
    against their due dates, for staff."""

    from_month: str | None = Field(description="YYYY-MM, the first month of reception counted; null: from the first")
    to_month: str | None = Field(description="YYYY-MM, the last month of reception counted; null: up to now")
    procedure_code: str | None = Field(description="The procedure counted; null: every procedure")
    as_of: date = Field(description="The day in Vietnam the outcomes stand on (overdue, in progress)")
    rows: list[DeadlineStatisticsRow] = Field(description="By procedure code, then month")
    totals: DeadlineCounts
