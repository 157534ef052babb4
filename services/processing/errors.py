"""Processing's named refusals (each a code, a Vietnamese message and an HTTP status), and its one write
conflict of its own (the kit's `VersionConflict` and `DossierBusy` are shared/holder/errors.py's)."""

from shared.errors import DomainError
from shared.holder.errors import VersionConflict


class AlreadyReceived(DomainError):
    """A dossier the Reception Unit has received once (it has a lookup code) can no longer be withdrawn."""

    code = "dossier_already_received"
    http_status = 409
    message_vi = "Hồ sơ đã được tiếp nhận nên không thể rút lại."


class DocumentTooLarge(DomainError):
    code = "document_too_large"
    http_status = 413

    def __init__(self, limit_bytes: int) -> None:
        megabytes = limit_bytes / (1024 * 1024)
        super().__init__(f"Tệp kết quả vượt quá dung lượng cho phép ({megabytes:g} MB).", limit_bytes=limit_bytes)


class EmptyResultFile(DomainError):
    code = "empty_file"
    http_status = 422
    message_vi = "Tệp kết quả không có nội dung."


class UnsupportedResultType(DomainError):
    """The result document's bytes are none of the accepted formats, whatever its name or declared type say."""

    code = "unsupported_file_type"
    http_status = 415
    message_vi = "Tệp kết quả không đúng định dạng cho phép."

    def __init__(self, accepted: list[str]) -> None:
        # The formats by name, so that staff know what to scan or export the result as.
        listed = accepted[0] if len(accepted) == 1 else f"{', '.join(accepted[:-1])} hoặc {accepted[-1]}"
        super().__init__(f"Tệp kết quả không đúng định dạng cho phép: chỉ nhận tệp {listed}.", accepted=accepted)


class IncompleteResultFile(DomainError):
    """The document starts as an accepted format but does not end as one: cut off on the way, or damaged."""

    code = "incomplete_file"
    http_status = 422
    message_vi = "Tệp kết quả không hoàn chỉnh."

    def __init__(self, file_format: str) -> None:
        super().__init__(f"Tệp kết quả {file_format} không hoàn chỉnh (bị cắt ngang hoặc bị hỏng); vui lòng tải "
                         "lên lại.", format=file_format)


class DeliveryChoiceNotOpen(DomainError):
    code = "delivery_choice_not_open"
    http_status = 409
    message_vi = "Chỉ chọn được hình thức nhận kết quả khi hồ sơ đã có kết quả và chưa được trả."


class PostalAddressRequired(DomainError):
    code = "validation_error"
    http_status = 422
    message_vi = "Dữ liệu không hợp lệ."

    def __init__(self) -> None:
        super().__init__(fields={"postal_address": "Vui lòng nhập địa chỉ nhận kết quả qua bưu điện."})


class ResultNotAvailable(DomainError):
    code = "result_not_available"
    http_status = 409
    message_vi = "Hồ sơ chưa có kết quả."


class ResultHasNoDocument(DomainError):
    code = "result_has_no_document"
    http_status = 409
    message_vi = "Kết quả không có tệp để nhận trực tuyến; vui lòng nhận tại cơ quan hoặc qua bưu điện."


class OnlineDeliveryNotChosen(DomainError):
    code = "online_delivery_not_chosen"
    http_status = 409
    message_vi = "Vui lòng chọn hình thức nhận kết quả trực tuyến trước khi tải kết quả về."


class AlreadyRated(DomainError):
    code = "already_rated"
    http_status = 409
    message_vi = "Hồ sơ đã được đánh giá mức độ hài lòng; mỗi hồ sơ chỉ đánh giá một lần."


class RatingCommentRequired(DomainError):
    code = "validation_error"
    http_status = 422
    message_vi = "Dữ liệu không hợp lệ."

    def __init__(self) -> None:
        super().__init__(fields={"comment": "Ý kiến: bắt buộc khi chọn “Không hài lòng”; vui lòng cho biết "
                                            "điều chưa hài lòng."})


class SubmissionOutOfTurn(DomainError):
    """A newer submission of a dossier processing still holds: intake cannot have sent it, so it is kept aside."""

    code = "submission_out_of_turn"
    http_status = 409
    message_vi = "Hồ sơ đang được xử lý, không thể nhận bản nộp mới."


class RescheduleNotOpen(DomainError):
    """Only a dossier the Department is working on (received, processing, paid) gets a new appointment."""

    code = "reschedule_not_open"
    http_status = 409
    message_vi = ("Chỉ có thể hẹn lại ngày trả kết quả khi hồ sơ đã tiếp nhận, đang giải quyết hoặc đã thanh "
                  "toán.")


class RescheduleNotLater(DomainError):
    """The new appointment must come after the current due date, and not before today."""

    code = "reschedule_not_later"
    http_status = 422
    message_vi = "Ngày hẹn trả kết quả mới phải sau hạn giải quyết hiện tại và không trước ngày hôm nay."


class RescheduleNotWorkingDay(DomainError):
    code = "reschedule_not_working_day"
    http_status = 422
    message_vi = "Ngày hẹn trả kết quả mới phải là ngày làm việc (không phải thứ Bảy, Chủ nhật hay ngày nghỉ lễ)."


class NothingToPay(DomainError):
    """A payment request with nothing to pay: the procedure has no fee (phí, lệ phí) and none was given."""

    code = "no_fee_to_pay"
    http_status = 409
    message_vi = "Thủ tục này không thu phí, lệ phí: không có khoản nào để yêu cầu thanh toán."


class FeeAlreadyPaid(DomainError):
    """The procedure's fee asked for again (a request without items) on a dossier that has been paid."""

    code = "fee_already_paid"
    http_status = 409
    message_vi = ("Phí, lệ phí của thủ tục đã được thanh toán; chỉ có thể yêu cầu thu thêm khoản phí bổ sung với "
                  "lý do.")


class FeeItemAlreadyPaid(DomainError):
    """An additional fee naming items that were paid already: the same kind, name and amount as a paid one."""

    code = "fee_item_already_paid"
    http_status = 409

    def __init__(self, paid: dict[int, tuple[str, str]]) -> None:
        """`paid`: for each refused item's index in the request, its name and the receipt it was paid on."""
        # The message names the items itself: a staff tool on the bus gets the message, not the fields.
        listed = "; ".join(f"{name} (biên lai {receipt})" for name, receipt in paid.values())
        super().__init__(f"Khoản phí đã được thanh toán, không thể yêu cầu thanh toán lại: {listed}.", fields={
            f"items.{index}": f"Khoản này đã được thanh toán (biên lai {receipt})."
            for index, (_name, receipt) in paid.items()})


class AdditionalFeeReasonRequired(DomainError):
    """An additional fee on a dossier paid before must say why it is asked (lý do thu thêm)."""

    code = "validation_error"
    http_status = 422
    message_vi = "Hồ sơ đã thanh toán phí, lệ phí: yêu cầu thu thêm khoản phí bổ sung phải nêu lý do."

    def __init__(self) -> None:
        super().__init__(fields={"reason": "Vui lòng nêu lý do thu thêm khoản phí bổ sung."})


class PaidOutOfTurn(DomainError):
    """Payment handed back a dossier processing holds itself: it cannot have been payment's to hand back."""

    code = "paid_out_of_turn"
    http_status = 409
    message_vi = "Hồ sơ không ở trạng thái chờ thanh toán."


class LookupCodeTaken(VersionConflict):
    """The lookup code is already some other dossier's (a counter restored from an old backup): take another."""
