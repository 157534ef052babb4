"""Named domain errors; each carries a machine code, a Vietnamese message and the HTTP status it maps to."""

from typing import Any, ClassVar


class DomainError(Exception):
    """A refusal the caller can understand and act on; nothing was changed."""

    code: ClassVar[str] = "domain_error"
    http_status: ClassVar[int] = 400
    message_vi: ClassVar[str] = "Yêu cầu không hợp lệ."

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.message_vi
        self.details = details
        super().__init__(self.message)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    http_status = 409

    def __init__(self, current: str, wanted: str) -> None:
        self.current, self.wanted = str(current), str(wanted)
        super().__init__(
            f"Không thể chuyển hồ sơ từ trạng thái '{self.current}' sang '{self.wanted}'.",
            current=self.current, wanted=self.wanted,
        )


class DossierNotFound(DomainError):
    code = "dossier_not_found"
    http_status = 404
    message_vi = "Không tìm thấy hồ sơ."


class RatingNotOpen(DomainError):
    """The satisfaction rating is given only once the result is returned: said by processing, which holds the
    dossier then, and by the gateway for a dossier processing never held (a draft)."""

    code = "rating_not_open"
    http_status = 409
    message_vi = "Chỉ đánh giá được mức độ hài lòng sau khi hồ sơ đã được trả kết quả."


class NotEditable(DomainError):
    code = "dossier_not_editable"
    http_status = 409
    message_vi = "Hồ sơ không ở trạng thái cho phép chỉnh sửa."


class StaleVersion(DomainError):
    code = "stale_version"
    http_status = 412
    message_vi = "Hồ sơ đã được thay đổi ở nơi khác; vui lòng tải lại trước khi lưu."


class UnknownProcedure(DomainError):
    code = "unknown_procedure"
    http_status = 422
    message_vi = "Thủ tục hành chính không tồn tại."


class UnknownProcedureDocument(DomainError):
    """A document code the procedure does not list among its component documents (thành phần hồ sơ)."""

    code = "unknown_procedure_document"
    # The code names a catalog entry in a path or a form, like a missing page rather than bad input.
    http_status = 404
    message_vi = "Thành phần hồ sơ không có trong danh mục của thủ tục."


class InvalidFields(DomainError):
    """Input that breaks a rule pydantic cannot check alone; `fields` names each offending field."""

    code = "validation_error"
    http_status = 422
    message_vi = "Dữ liệu không hợp lệ."

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(fields=fields)
        self.fields = fields


class UnknownStaffAction(DomainError):
    code = "unknown_action"
    http_status = 404
    message_vi = "Thao tác không được hỗ trợ."


class InvalidCommand(DomainError):
    """A staff command whose content breaks its contract; `fields` names each offending field."""

    code = "validation_error"
    http_status = 422
    message_vi = "Nội dung thao tác không hợp lệ."

    def __init__(self, fields: dict[str, str]) -> None:
        listed = ", ".join(sorted(fields))
        super().__init__(f"{self.message_vi} Kiểm tra: {listed}." if listed else None, fields=fields)


class MissingDossierId(DomainError):
    code = "missing_dossier_id"
    http_status = 422
    message_vi = "Lệnh không cho biết hồ sơ nào (thiếu dossier_id)."


class NotStaff(DomainError):
    code = "not_staff"
    http_status = 403
    message_vi = "Chỉ cán bộ Bộ phận tiếp nhận và trả kết quả mới được thực hiện thao tác này."
