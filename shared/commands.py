"""Staff commands (the Reception and Result Return Unit's actions) and the outcome events answering them.

A staff tool publishes a command on the commands exchange with the routing key `staff.<action>`, the
dossier id in the envelope and a staff actor. The holder of the dossier answers with `command.completed`
or `command.rejected` on the events exchange, whose `command_id` (and envelope `causation_id`) is the
command's envelope id. Which holder applies each action is shared/staff_actions.py's table.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shared.documents import DOCUMENT_CODE_PATTERN
from shared.messages import Payload


class AcceptDossier(Payload):
    """Staff: accept a submitted dossier (tiếp nhận); it gets its lookup code and due date."""

    message_type: str = Field(default="staff.accept", exclude=True)


class RejectDossier(Payload):
    """Staff: refuse a submitted dossier at reception (từ chối tiếp nhận), telling the citizen why."""

    message_type: str = Field(default="staff.reject", exclude=True)
    reason: str = Field(min_length=1, max_length=2000)


class RequestSupplement(Payload):
    """Staff: ask the citizen to complete the dossier (yêu cầu bổ sung), saying what is missing."""

    message_type: str = Field(default="staff.request-supplement", exclude=True)
    reason: str = Field(min_length=1, max_length=2000)
    documents: list[Annotated[str, Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)]] = Field(
        default_factory=list, max_length=50, description=(
            "The procedure's documents (thành phần hồ sơ, their catalog codes as GET /v1/procedures lists them) "
            "the citizen must add files to before sending again; none: the reason says what is missing. A code "
            "the procedure does not list refuses the command."))


class StartProcessing(Payload):
    """Staff: the specialist divisions start examining the dossier (đang giải quyết)."""

    message_type: str = Field(default="staff.start-processing", exclude=True)


class RescheduleDossier(Payload):
    """Staff: apologise and set a later appointment for the result (xin lỗi và hẹn lại ngày trả kết quả)."""

    message_type: str = Field(default="staff.reschedule", exclude=True)
    new_due_date: date = Field(description="Ngày hẹn trả kết quả mới (YYYY-MM-DD): a later working day")
    reason: str = Field(min_length=1, max_length=2000, description="Lý do chậm trễ, for the apology slip")


class AttachedDocument(BaseModel):
    """A document sent inside a command (the AMQP door); the HTTP door uploads it as multipart instead."""

    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(default="application/pdf", max_length=100)
    # Base64 takes 4 characters for 3 bytes: room for a 10 MB document, processing's default cap.
    content_base64: str = Field(max_length=14 * 1024 * 1024)


class IssueResult(Payload):
    """Staff: the result is approved (đã có kết quả), with its summary and, optionally, the document."""

    message_type: str = Field(default="staff.issue-result", exclude=True)
    summary: str = Field(min_length=1, max_length=2000)
    document: AttachedDocument | None = None


class MarkReturned(Payload):
    """Staff: the citizen received the result at the office or by post (đã trả kết quả).

    Without `method`, the way the citizen chose (at the office, by post); `tracking_number` (mã vận đơn) is the
    post's, so only for a result sent by post.
    """

    message_type: str = Field(default="staff.mark-returned", exclude=True)
    method: Literal["at_office", "postal"] | None = None
    tracking_number: str | None = Field(default=None, min_length=1, max_length=64)


class CommandCompleted(Payload):
    """The answer to a staff command carried out: the dossier's new status and version."""

    message_type: str = Field(default="command.completed", exclude=True)
    command_id: str
    command_type: str
    dossier_id: str
    status: str
    version: int


class CommandRejected(Payload):
    """The answer to a staff command refused or invalid: a machine code and the reason, in Vietnamese."""

    message_type: str = Field(default="command.rejected", exclude=True)
    command_id: str
    command_type: str
    dossier_id: str | None
    code: str
    reason: str
