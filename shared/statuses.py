"""The status catalog (tình trạng hồ sơ): codes, Vietnamese labels, holders and allowed transitions.

Exactly DESIGN.md's table. The holder of a status is the only service that may move a dossier out of it.
"""

from dataclasses import dataclass
from enum import StrEnum

from shared.errors import TransitionNotAllowed


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REJECTED = "rejected"
    RECEIVED = "received"
    PROCESSING = "processing"
    PAYMENT_REQUESTED = "payment_requested"
    PAID = "paid"
    RESULT_READY = "result_ready"
    RESULT_RETURNED = "result_returned"


class Holder(StrEnum):
    INTAKE = "intake"
    PROCESSING = "processing"
    PAYMENT = "payment"


@dataclass(frozen=True)
class StatusInfo:
    code: Status
    label: str
    holder: Holder
    next: frozenset[Status]

    @property
    def final(self) -> bool:
        return not self.next


def _entry(code: Status, label: str, holder: Holder, *next_statuses: Status) -> StatusInfo:
    return StatusInfo(code, label, holder, frozenset(next_statuses))


S = Status
CATALOG: tuple[StatusInfo, ...] = (
    _entry(S.DRAFT, "Chưa gửi", Holder.INTAKE, S.SUBMITTED),
    _entry(S.SUBMITTED, "Đã gửi", Holder.PROCESSING,
           S.DRAFT, S.RECEIVED, S.SUPPLEMENT_REQUESTED, S.REJECTED),
    _entry(S.SUPPLEMENT_REQUESTED, "Yêu cầu bổ sung", Holder.INTAKE, S.SUBMITTED),
    _entry(S.REJECTED, "Từ chối tiếp nhận", Holder.PROCESSING),
    _entry(S.RECEIVED, "Đã tiếp nhận", Holder.PROCESSING,
           S.PROCESSING, S.PAYMENT_REQUESTED, S.SUPPLEMENT_REQUESTED),
    _entry(S.PROCESSING, "Đang giải quyết", Holder.PROCESSING,
           S.PAYMENT_REQUESTED, S.RESULT_READY, S.SUPPLEMENT_REQUESTED),
    _entry(S.PAYMENT_REQUESTED, "Yêu cầu thanh toán", Holder.PAYMENT, S.PAID),
    _entry(S.PAID, "Đã thanh toán", Holder.PROCESSING, S.PROCESSING, S.RESULT_READY),
    _entry(S.RESULT_READY, "Đã có kết quả", Holder.PROCESSING, S.RESULT_RETURNED),
    _entry(S.RESULT_RETURNED, "Đã trả kết quả", Holder.PROCESSING),
)
_BY_CODE = {entry.code: entry for entry in CATALOG}

# Editable by the citizen (nội dung hồ sơ): a draft, or a dossier sent back for a supplement.
EDITABLE: frozenset[Status] = frozenset({S.DRAFT, S.SUPPLEMENT_REQUESTED})


def info(status: Status) -> StatusInfo:
    return _BY_CODE[status]


def label(status: Status) -> str:
    return _BY_CODE[status].label


def can_move(current: Status, wanted: Status) -> bool:
    return wanted in _BY_CODE[current].next


def ensure_can_move(current: Status, wanted: Status) -> None:
    """Refuse a transition the table does not allow, naming both ends."""
    if not can_move(current, wanted):
        raise TransitionNotAllowed(current, wanted)
