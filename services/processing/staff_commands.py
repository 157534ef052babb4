"""Reading a staff action into its contract (shared.commands) and handing it to its handler.

Both doors use this: the HTTP API with the action from its path and the fields from its JSON body, the
bus with the action from the routing key (`staff.<action>`) and the fields from the envelope's data.
"""

import base64
import binascii
from typing import Any

from pydantic import ValidationError

from services.processing import staff_actions
from services.processing.command_answers import StaffCommand
from services.processing.domain import UploadedDocument
from services.processing.errors import InvalidCommand, MissingDossierId, NotStaff, UnknownStaffAction
from services.processing.handlers import CommandResult, Processing
from shared.commands import (
    STAFF_ACTIONS,
    AcceptDossier,
    AttachedDocument,
    IssueResult,
    MarkReturned,
    RejectDossier,
    RequestSupplement,
    StartProcessing,
)
from shared.messages import Actor, Envelope, Payload
from shared.registry import PAYLOADS

COMMAND_PREFIX = "staff."
_FIELD_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "string_too_short": "Giá trị quá ngắn hoặc bị để trống.",
    "string_too_long": "Giá trị quá dài.",
    "literal_error": "Giá trị không thuộc danh sách cho phép.",
}


def parse_staff_action(action: str, data: dict[str, Any]) -> Payload:
    """The typed command for `action`; UnknownStaffAction or InvalidCommand (naming the fields)."""
    if action not in STAFF_ACTIONS:
        raise UnknownStaffAction(action=action[:64])
    try:
        return PAYLOADS[COMMAND_PREFIX + action].model_validate(data)
    except ValidationError as error:
        raise InvalidCommand({".".join(map(str, issue["loc"])) or "data": _FIELD_MESSAGES.get(
            issue["type"], "Giá trị không hợp lệ.") for issue in error.errors()}) from None


def read_staff_command(envelope: Envelope) -> tuple[str, Payload]:
    """The dossier id and typed command of a staff command envelope, or the refusal saying what is wrong."""
    payload = parse_staff_action(envelope.type.removeprefix(COMMAND_PREFIX), envelope.data)
    if envelope.actor.kind != "staff":
        raise NotStaff(actor_kind=envelope.actor.kind)
    if not envelope.dossier_id:
        raise MissingDossierId()
    return envelope.dossier_id, payload


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
    raise UnknownStaffAction(action=payload.message_type)


def _decoded(document: AttachedDocument) -> UploadedDocument:
    try:
        content = base64.b64decode(document.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidCommand({"document.content_base64": "Tệp đính kèm không phải base64 hợp lệ."}) from None
    return UploadedDocument.named(document.filename, document.content_type, content)
