"""The dossier while processing holds it (từ đã gửi đến đã trả kết quả): its record and value objects.

Pure, no I/O. The decisions that change it are in `reception.py` (tiếp nhận), `resolution.py` (giải quyết,
trả kết quả), `payment_hand_over.py` (yêu cầu thanh toán) and `rating.py` (đánh giá mức độ hài lòng); each
answers a `Change`: the changed dossier and the event payload that records the change.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from shared.documents import SentDocument
from shared.holder.command_keys import KeptAnswer
from shared.lifecycle import DeliveryMethod, RatingLevel, ResultDocument
from shared.payments import FeeLine, PaymentMethod
from shared.statuses import Status


class WorkingDays(Protocol):
    """The working-day calendar (ngày làm việc) due dates are counted in."""

    def add_working_days(self, start: date, days: int) -> date: ...

    def working_days_between(self, start: date, end: date) -> int: ...

    def is_working_day(self, day: date) -> bool: ...


@dataclass(frozen=True)
class Delivery:
    """How the result reaches the citizen (hình thức nhận kết quả); an address only for the post."""

    method: DeliveryMethod
    postal_address: str | None = None
    tracking_number: str | None = None  # mã vận đơn, once staff have posted the result


@dataclass(frozen=True)
class Result:
    """The result of processing (kết quả giải quyết): a summary, perhaps a document, how it is delivered."""

    summary: str
    issued_at: datetime
    document: ResultDocument | None = None
    delivery: Delivery | None = None


@dataclass(frozen=True)
class Rating:
    """The citizen's rating of the service (đánh giá mức độ hài lòng), given once the result was returned."""

    level: RatingLevel
    comment: str | None
    rated_at: datetime


@dataclass(frozen=True)
class PaidFee:
    """A payment request that was paid (đã thanh toán): the fee items it paid for, how, and the receipt."""

    payment_id: str
    method: PaymentMethod
    items: tuple[FeeLine, ...]
    amount_vnd: int
    receipt_number: str  # số biên lai
    paid_at: datetime


@dataclass(frozen=True)
class Dossier:
    id: str
    owner_id: str
    procedure_code: str
    status: Status
    version: int
    updated_at: datetime
    lookup_code: str | None = None
    received_at: datetime | None = None
    due_date: date | None = None
    # While a supplement is awaited the due-date clock stops; this is what was left of it.
    remaining_working_days: int | None = None
    # The due date given on reception, once staff have rescheduled it (hẹn lại); `due_date` is the new one.
    original_due_date: date | None = None
    # Rescheduled after its due date had passed: late, whatever the new appointment (for the statistics).
    rescheduled_late: bool = False
    # The deadline warnings already published, each "<due_soon|overdue>:<due date>": once per due date.
    warned: tuple[str, ...] = ()
    result: Result | None = None
    # The component documents (thành phần hồ sơ) as last sent, each with its files' metadata (the bytes stay
    # with intake): what the receipt slip lists and what staff examine.
    documents: tuple[SentDocument, ...] = ()
    # The fee items of the request payment holds the dossier for, until it comes back paid: what was paid
    # even when `dossier.paid` does not list them (a payment release before it carried them).
    requested_fees: tuple[FeeLine, ...] = ()
    # Every request paid, oldest first. A fee paid stays paid: it is never asked for again.
    paid_fees: tuple[PaidFee, ...] = ()
    rating: Rating | None = None
    # Recent staff command ids already applied, so that a redelivered command changes nothing twice.
    applied_commands: tuple[str, ...] = ()
    # Recent citizen and staff commands sent under a key, with their answers: a repeat is answered, not applied.
    command_answers: tuple[KeptAnswer, ...] = ()

    @property
    def received_once(self) -> bool:
        return self.lookup_code is not None

    @property
    def paid_before(self) -> bool:
        return bool(self.paid_fees)

    @property
    def revision(self) -> int:
        """Processing's writes are conditional on the version: every change it stores moves it."""
        return self.version
