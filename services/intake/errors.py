"""Intake's own refusals: what a citizen's command or a hand-back can be refused for, besides shared's."""

from shared.errors import DomainError, InvalidFields
from shared.holder.errors import DossierBusy


class InvalidContent(InvalidFields):
    """The content breaks the procedure's form."""

    message_vi = "Dữ liệu hồ sơ không hợp lệ."


class NotReadyToSend(InvalidContent):
    """The dossier as stored cannot be sent yet (a required field empty, a required document without a file):
    its state refuses the command (409), with every gap named in `fields`, as the form's refusals are."""

    code = "dossier_incomplete"
    http_status = 409
    message_vi = "Hồ sơ chưa đủ thông tin hoặc thành phần để gửi."


class NotDeletable(DomainError):
    """Only a draft the citizen never sent may be deleted."""

    code = "dossier_not_deletable"
    http_status = 409
    message_vi = "Chỉ xoá được hồ sơ chưa gửi."


class NotHandedBackYet(DossierBusy):
    """The citizen names a version of a dossier that processing has handed back but intake has not taken yet.

    They read the dossier from the read model, which can learn of a hand-back (a supplement request, a
    withdrawal) a moment before intake does. Not a refusal: the same command goes through once intake has
    taken the dossier back, so it answers as a busy dossier does (409 `dossier_busy`, try again).
    """


class HandBackOutOfTurn(DomainError):
    """A hand-back intake can never take: into a status intake does not hold, or while it already holds it."""

    code = "hand_back_out_of_turn"
    http_status = 409
    message_vi = "Hồ sơ không thể được trả lại cho người nộp ở trạng thái này."


# --- component documents (thành phần hồ sơ) and their files (tệp đính kèm) ---------------------------------
# Each message names the document by its catalog name, and a limit by its size, so that the citizen knows
# which upload of a long list went wrong and what to send instead.


def readable_size(size_bytes: int) -> str:
    """A byte count as a citizen reads it: "10 MB", "1,5 MB", "800 KB", "200 byte" (decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size_bytes >= factor:
            return f"{size_bytes / factor:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return f"{size_bytes} byte"


def _listed(labels: list[str]) -> str:
    """"PDF, JPEG hoặc PNG": the accepted formats in a sentence."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} hoặc {labels[-1]}"


class UnknownDocument(DomainError):
    """A document code the dossier's procedure does not list (the catalog names every document it takes)."""

    code = "unknown_document"
    http_status = 404
    message_vi = "Thủ tục của hồ sơ không có thành phần hồ sơ này."

    def __init__(self, document_code: str) -> None:
        super().__init__(f"Thủ tục của hồ sơ không có thành phần hồ sơ “{document_code}”.",
                         document_code=document_code)


class TooManyFiles(DomainError):
    """The dossier has as many files as one may have; removing one makes room."""

    code = "too_many_files"
    http_status = 409
    message_vi = "Hồ sơ đã có đủ số tệp đính kèm tối đa."

    def __init__(self, document: str, limit: int) -> None:
        super().__init__(f"Không thể đính kèm thêm tệp cho “{document}”: mỗi hồ sơ có tối đa {limit} tệp đính kèm.",
                         document=document, limit=limit)


class EmptyFile(DomainError):
    code = "empty_file"
    http_status = 422
    message_vi = "Tệp đính kèm không có nội dung."

    def __init__(self, document: str) -> None:
        super().__init__(f"Tệp đính kèm cho “{document}” không có nội dung.", document=document)


class UnsupportedFileType(DomainError):
    """The file's bytes are none of the accepted formats, whatever its name or declared type say."""

    code = "unsupported_file_type"
    http_status = 415
    message_vi = "Tệp đính kèm không đúng định dạng cho phép."

    def __init__(self, document: str, accepted: list[str]) -> None:
        super().__init__(f"Tệp đính kèm cho “{document}” không đúng định dạng cho phép: chỉ nhận tệp "
                         f"{_listed(accepted)}.", document=document, accepted=accepted)


class FileIncomplete(DomainError):
    """The file starts as an accepted format but does not end as one: cut off, or damaged."""

    code = "incomplete_file"
    http_status = 422
    message_vi = "Tệp đính kèm không hoàn chỉnh."

    def __init__(self, document: str, file_format: str) -> None:
        super().__init__(f"Tệp {file_format} đính kèm cho “{document}” không hoàn chỉnh (bị cắt ngang hoặc bị "
                         "hỏng); vui lòng tải lên lại.", document=document, format=file_format)


class FileTooLarge(DomainError):
    code = "file_too_large"
    http_status = 413
    message_vi = "Tệp đính kèm vượt quá dung lượng cho phép."

    def __init__(self, document: str, limit_bytes: int) -> None:
        super().__init__(f"Tệp đính kèm cho “{document}” vượt quá {readable_size(limit_bytes)}, dung lượng tối đa "
                         "của một tệp.", document=document, limit_bytes=limit_bytes)


class DossierTooLarge(DomainError):
    """The dossier's files together would go past its limit (files already sent count too)."""

    code = "dossier_too_large"
    http_status = 413
    message_vi = "Tổng dung lượng tệp đính kèm của hồ sơ vượt quá mức cho phép."

    def __init__(self, document: str, limit_bytes: int) -> None:
        super().__init__(f"Không thể đính kèm tệp cho “{document}”: tổng dung lượng các tệp của một hồ sơ không "
                         f"được vượt quá {readable_size(limit_bytes)}.", document=document, limit_bytes=limit_bytes)


class DocumentFileNotFound(DomainError):
    """No such file in this document of this dossier (or, for staff, none that was sent)."""

    code = "document_file_not_found"
    http_status = 404
    message_vi = "Không tìm thấy tệp đính kèm."

    def __init__(self, document: str) -> None:
        super().__init__(f"Không tìm thấy tệp đính kèm này trong “{document}”.", document=document)


class DocumentFileFrozen(DomainError):
    """The file went out with the dossier: processing has seen it, so it stays (a supplement only adds)."""

    code = "document_file_frozen"
    http_status = 409
    message_vi = "Tệp đã được gửi cùng hồ sơ nên không thể gỡ bỏ."

    def __init__(self, document: str, filename: str) -> None:
        super().__init__(f"Tệp “{filename}” của “{document}” đã được gửi cùng hồ sơ nên không thể gỡ bỏ.",
                         document=document, filename=filename)
