"""Reading a staff action into its contract (shared.commands) and handing it to its handler.

Both doors use this: the HTTP API with the action from its path and the fields from its JSON body, the
bus with the action from the routing key (`staff.<action>`) and the fields from the envelope's data.
"""

import base64
import binascii
from typing import Any

from services.processing import staff_actions
from services.processing.command_answers import StaffCommand
from services.processing.domain import UploadedDocument
from services.processing.handlers import CommandResult, Processing
from shared import staff_commands
from shared.commands import (
    PROCESSING_ACTIONS,
    AcceptDossier,
    AttachedDocument,
    IssueResult,
    MarkReturned,
    RejectDossier,
    RequestSupplement,
    StartProcessing,
)
from shared.errors import InvalidCommand, UnknownStaffAction
from shared.messages import Actor, Envelope, Payload
from shared.payments import RequestPayment


def parse_staff_action(action: str, data: dict[str, Any]) -> Payload:
    """The typed command for one of processing's actions; UnknownStaffAction or InvalidCommand."""
    return staff_commands.parse_staff_action(action, data, PROCESSING_ACTIONS)


def read_staff_command(envelope: Envelope) -> tuple[str, Payload]:
    """The dossier id and typed command of a staff command envelope, or the refusal saying what is wrong."""
    return staff_commands.read_staff_command(envelope, PROCESSING_ACTIONS)


async def apply_staff_action(
    processing: Processing, dossier_id: str, payload: Payload, actor: Actor, command: StaffCommand | None = None,
) -> CommandResult:
    """Call the handler of the command `payload` is."""
    match payload:
        case AcceptDossier():
            return await staff_actions.accept_dossier(processing, dossier_id, actor, command)
        case RejectDossier(reason=reason):
            return await staff_actions.reject_dossier(processing, dossier_id, actor, reason, command)
        case RequestSupplement(reason=reason):
            return await staff_actions.request_supplement(processing, dossier_id, actor, reason, command)
        case StartProcessing():
            return await staff_actions.start_processing(processing, dossier_id, actor, command)
        case IssueResult(summary=summary, document=document):
            upload = _decoded(document) if document else None
            return await staff_actions.issue_result(processing, dossier_id, actor, summary, upload, command)
        case MarkReturned(method=method):
            return await staff_actions.mark_returned(processing, dossier_id, actor, method, command)
        case RequestPayment(items=items):
            return await staff_actions.request_payment(processing, dossier_id, actor, items, command)
    raise UnknownStaffAction(action=payload.message_type)


def _decoded(document: AttachedDocument) -> UploadedDocument:
    try:
        content = base64.b64decode(document.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidCommand({"document.content_base64": "Tệp đính kèm không phải base64 hợp lệ."}) from None
    return UploadedDocument.named(document.filename, document.content_type, content)
