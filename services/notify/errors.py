"""Notify's named errors: the refusals of its internal API, and the one reason to hold an event back."""

from shared.errors import DomainError


class RecipientNotKnownYet(Exception):
    """A status change for a dossier whose owner notify has not heard of yet (its submission is still on
    its way, or was lost): raised so that the bus delivers it again later and, in the end, dead-letters it."""

    def __init__(self, dossier_id: str) -> None:
        self.dossier_id = dossier_id
        super().__init__(f"no owner known for dossier {dossier_id} yet")


class DeliveryNotFound(DomainError):
    code = "delivery_not_found"
    http_status = 404
    message_vi = "Không tìm thấy thông báo."


class DeliveryNotFailed(DomainError):
    code = "delivery_not_failed"
    http_status = 409
    message_vi = "Chỉ gửi lại được thông báo đã gửi không thành công và có địa chỉ nhận."


class MailboxNotInUse(DomainError):
    code = "mailbox_not_in_use"
    http_status = 404
    message_vi = "Hộp thư phát triển không được dùng: thư được gửi qua máy chủ SMTP."


class SmsSinkNotInUse(DomainError):
    code = "sms_sink_not_in_use"
    http_status = 404
    message_vi = "Hộp tin nhắn phát triển không được dùng: tin nhắn được gửi qua nhà cung cấp SMS hoặc không gửi."
