"""What processing publishes: the dossier's life after submission (tiếp nhận, giải quyết, trả kết quả).

Each is a status change of a dossier processing holds, carrying the next version, except those that
change no status (a new due date, the citizen's choice of result delivery, the citizen's rating) and still
take a version so that every consumer applies them in order.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from shared.messages import Payload, StatusChange
from shared.statuses import Status

DeliveryMethod = Literal["online", "at_office", "postal"]


class DossierWithdrawn(StatusChange):
    """The citizen took back a dossier not yet received (rút hồ sơ): it is a draft again, held by intake."""

    message_type: str = Field(default="dossier.withdrawn", exclude=True)
    from_status: Status | None = Status.SUBMITTED
    to_status: Status = Status.DRAFT


class DossierReceived(StatusChange):
    """Accepted by the Reception Unit (đã tiếp nhận): the lookup code and the due date are set."""

    message_type: str = Field(default="dossier.received", exclude=True)
    from_status: Status | None = Status.SUBMITTED
    to_status: Status = Status.RECEIVED
    lookup_code: str
    received_at: datetime
    due_date: date
    processing_days: int
    # False when a dossier already received comes back after a supplement and is accepted again: same
    # lookup code, first `received_at`, the due date as resumed; notify need not announce it twice.
    first_reception: bool = True
    owner_id: str


class DossierRejected(StatusChange):
    """Refused at reception (từ chối tiếp nhận), with the reason the citizen is told."""

    message_type: str = Field(default="dossier.rejected", exclude=True)
    from_status: Status | None = Status.SUBMITTED
    to_status: Status = Status.REJECTED
    reason: str = Field(min_length=1, max_length=2000)


class SupplementRequested(StatusChange):
    """The citizen must complete the dossier (yêu cầu bổ sung); intake holds it meanwhile.

    The due-date clock stops: `remaining_working_days` is what is left of it (None before reception).
    """

    message_type: str = Field(default="dossier.supplement_requested", exclude=True)
    to_status: Status = Status.SUPPLEMENT_REQUESTED
    reason: str = Field(min_length=1, max_length=2000)
    remaining_working_days: int | None = None
    documents: list[str] = Field(default_factory=list, max_length=50, description=(
        "The documents (catalog codes) the citizen must add files to before sending the dossier again"))


class DueDateChanged(Payload):
    """The due-date clock resumed after a supplement: the new due date (hạn xử lý)."""

    message_type: str = Field(default="dossier.due_date_changed", exclude=True)
    due_date: date


class DossierRescheduled(Payload):
    """Staff apologise and give a new appointment (xin lỗi và hẹn lại ngày trả kết quả); the status stays.

    `original_due_date` is the due date given on reception, kept through every reschedule; `late` says the
    dossier was rescheduled after its due date had passed, which the statistics count as late.
    """

    message_type: str = Field(default="dossier.rescheduled", exclude=True)
    status: Status
    previous_due_date: date
    new_due_date: date
    original_due_date: date
    reason: str = Field(min_length=1, max_length=2000)
    late: bool
    owner_id: str


class DossierDueSoon(Payload):
    """Sắp đến hạn: the due date is `working_days_left` working days away (DUE_SOON_WORKING_DAYS or fewer).

    Published once per dossier and due date by processing's daily deadline watch; a new appointment
    (reschedule) may warn again."""

    message_type: str = Field(default="dossier.due_soon", exclude=True)
    due_date: date
    working_days_left: int
    procedure_code: str
    owner_id: str


class DossierOverdue(Payload):
    """Quá hạn: the due date has passed without a result; once per dossier and due date."""

    message_type: str = Field(default="dossier.overdue", exclude=True)
    due_date: date
    procedure_code: str
    owner_id: str


class ProcessingStarted(StatusChange):
    """Being examined by the specialist divisions (đang giải quyết)."""

    message_type: str = Field(default="dossier.processing_started", exclude=True)
    to_status: Status = Status.PROCESSING


class ResultDocument(BaseModel):
    """Where the result document is: its id in processing's store, never its bytes."""

    id: str
    filename: str
    content_type: str
    size_bytes: int


class ResultIssued(StatusChange):
    """The result is approved and available (đã có kết quả); the document stays in processing's store."""

    message_type: str = Field(default="dossier.result_issued", exclude=True)
    to_status: Status = Status.RESULT_READY
    summary: str
    document: ResultDocument | None = None


class ResultDeliveryChosen(Payload):
    """How the citizen will receive the result (hình thức nhận kết quả)."""

    message_type: str = Field(default="dossier.result_delivery_chosen", exclude=True)
    method: DeliveryMethod
    postal_address: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def postal_needs_an_address(self) -> "ResultDeliveryChosen":
        if self.method == "postal" and not self.postal_address:
            raise ValueError("a result sent by post needs the postal address")
        return self


class ResultReturned(StatusChange):
    """The citizen has the result (đã trả kết quả): downloaded, collected at the office, or posted."""

    message_type: str = Field(default="dossier.result_returned", exclude=True)
    from_status: Status | None = Status.RESULT_READY
    to_status: Status = Status.RESULT_RETURNED
    method: DeliveryMethod
    tracking_number: str | None = Field(default=None, description="Mã vận đơn: the post's, for a result posted")


RatingLevel = Literal["very_satisfied", "satisfied", "dissatisfied"]
# Vietnamese labels, as the one-stop portals word the three levels (mức độ hài lòng).
RATING_LABELS: dict[str, str] = {
    "very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "dissatisfied": "Không hài lòng"}
RATING_COMMENT_MAX = 1000


class DossierRated(Payload):
    """The citizen rated the service once the result was returned (đánh giá mức độ hài lòng); the status
    stays. `comment` is always given when `dissatisfied`."""

    message_type: str = Field(default="dossier.rated", exclude=True)
    level: RatingLevel
    comment: str | None = Field(default=None, max_length=RATING_COMMENT_MAX)
    rated_at: datetime
