"""Payment's named refusals (each a code, a Vietnamese message and an HTTP status), and a provider's report
refused by its checks (the write conflicts are the holder kit's: shared/holder/errors.py)."""

from typing import Literal

from shared.errors import DomainError

RefusalReason = Literal["bad_signature", "unknown_reference", "amount_mismatch", "replayed", "malformed"]


class PaymentNotRequested(DomainError):
    """The dossier is not waiting for payment (not requested yet, or paid already)."""

    code = "payment_not_requested"
    http_status = 409
    message_vi = "Hồ sơ không ở trạng thái yêu cầu thanh toán."


class PaymentInProgress(DomainError):
    """An online payment is open at the provider: paying another way now could charge the citizen twice."""

    code = "payment_in_progress"
    http_status = 409
    message_vi = ("Một giao dịch thanh toán trực tuyến của hồ sơ đang chờ kết quả; vui lòng hoàn tất hoặc "
                  "huỷ giao dịch đó trước khi chọn hình thức khác.")


class UnknownProvider(DomainError):
    code = "unknown_provider"
    http_status = 404
    message_vi = "Không có cổng thanh toán này."


class UnknownPayment(DomainError):
    code = "payment_not_found"
    http_status = 404
    message_vi = "Không tìm thấy giao dịch thanh toán."


class RequestOutOfTurn(DomainError):
    """A newer payment request for a dossier payment still holds: processing cannot have sent it."""

    code = "payment_request_out_of_turn"
    http_status = 409
    message_vi = "Hồ sơ đang chờ thanh toán, không thể nhận yêu cầu thanh toán mới."


class CallbackRefused(Exception):
    """A provider's report that failed a check: nothing changes, it is logged and `payment.callback_refused`
    is published. `reference` only once the signature has been verified (before, it is the sender's word)."""

    def __init__(self, reason: RefusalReason, reference: str | None = None) -> None:
        super().__init__(reason)
        self.reason: RefusalReason = reason
        self.reference = reference
