"""A staff action read into its contract (shared.commands) goes to its handler: the one dispatch both doors
end in, the HTTP API with the action from its path and the bus with the action from the routing key.

Reading the action, and the bus door's answers, are the holder kit's (shared/holder/staff_commands.py).
"""

import base64
import binascii
from collections.abc import AsyncIterator

from services.processing.dependencies import Processing
from services.processing.handlers import staff_actions
from services.processing.handlers.result_documents import ResultUpload
from shared.commands import (
    AcceptDossier,
    AttachedDocument,
    IssueResult,
    MarkReturned,
    RejectDossier,
    RequestSupplement,
    RescheduleDossier,
    StartProcessing,
)
from shared.errors import InvalidCommand, UnknownStaffAction
from shared.holder.staff_commands import StaffCommand
from shared.holder.write import CommandResult
from shared.messages import Actor, Payload
from shared.payments import RequestPayment


async def apply_staff_action(
    processing: Processing, dossier_id: str, payload: Payload, actor: Actor, command: StaffCommand | None = None,
    command_key: str | None = None,
) -> CommandResult:
    """Call the handler of the command `payload` is (`command`: the bus door's; `command_key`: the HTTP door's)."""
    match payload:
        case AcceptDossier():
            return await staff_actions.accept_dossier(processing, dossier_id, actor, command, command_key)
        case RejectDossier(reason=reason):
            return await staff_actions.reject_dossier(processing, dossier_id, actor, reason, command, command_key)
        case RequestSupplement(reason=reason, documents=documents):
            return await staff_actions.request_supplement(
                processing, dossier_id, actor, reason, documents, command, command_key)
        case StartProcessing():
            return await staff_actions.start_processing(processing, dossier_id, actor, command, command_key)
        case IssueResult(summary=summary, document=document):
            upload = _decoded(document) if document else None
            return await staff_actions.issue_result(
                processing, dossier_id, actor, summary, upload, command, command_key)
        case MarkReturned(method=method, tracking_number=tracking_number):
            return await staff_actions.mark_returned(
                processing, dossier_id, actor, method, tracking_number, command, command_key)
        case RescheduleDossier(new_due_date=new_due_date, reason=reason):
            return await staff_actions.reschedule(
                processing, dossier_id, actor, new_due_date, reason, command, command_key)
        case RequestPayment(items=items, reason=reason):
            return await staff_actions.request_payment(
                processing, dossier_id, actor, items, reason, command, command_key)
    raise UnknownStaffAction(action=payload.message_type)


def _decoded(document: AttachedDocument) -> ResultUpload:
    """The bus door's document: whole in the message already, so it goes to the blob store as one chunk.

    Its declared `content_type` is not used: the stored type is the one its bytes show."""
    try:
        content = base64.b64decode(document.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidCommand({"document.content_base64": "Tệp đính kèm không phải base64 hợp lệ."}) from None
    return ResultUpload.named(document.filename, _one_chunk(content))


async def _one_chunk(content: bytes) -> AsyncIterator[bytes]:
    yield content
