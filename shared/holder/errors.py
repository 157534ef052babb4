"""The two outcomes of a conditional write that did not go through."""

from shared.errors import DomainError


class VersionConflict(Exception):
    """The record changed since it was read (or was created meanwhile): read it again and decide again."""


class DossierBusy(DomainError):
    """Others kept changing the dossier while this change was being decided, more times than retried.

    Not a refusal of the change: over HTTP the caller may try again; on the bus the message is delivered
    again later."""

    code = "dossier_busy"
    http_status = 409
    message_vi = "Hồ sơ đang được cập nhật bởi thao tác khác, vui lòng thử lại."
