"""Intake's own refusals: what a citizen's command or a hand-back can be refused for, besides shared's."""

from shared.errors import DomainError, InvalidFields
from shared.holder.errors import DossierBusy


class InvalidContent(InvalidFields):
    """The content breaks the procedure's form."""

    message_vi = "Dữ liệu hồ sơ không hợp lệ."


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
