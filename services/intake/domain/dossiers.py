"""The dossier's life while the citizen holds it (hồ sơ chưa gửi / yêu cầu bổ sung): pure decisions, no I/O.

Each decision takes the current dossier and answers the changed dossier with the event payload that
records the change; the handlers store both together.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from services.intake.domain.records import Dossier, Owner, SupplementRequest
from services.intake.domain.sending import document_problems, sending
from services.intake.errors import HandBackOutOfTurn, InvalidContent, NotDeletable, NotHandedBackYet, NotReadyToSend
from shared.errors import NotEditable, StaleVersion
from shared.field_messages import field_messages
from shared.messages import (
    ContentOutline,
    DossierContent,
    DossierSubmitted,
    DraftContent,
    DraftCreated,
    DraftDeleted,
    DraftUpdated,
    SentOutline,
)
from shared.procedures import ProcedureCatalog
from shared.statuses import EDITABLE, Holder, Status, ensure_can_move, info


def check_content(content: DraftContent, catalog: ProcedureCatalog, *, complete: bool) -> None:
    """The procedure exists and the form only has its fields, of their types; all required ones to send."""
    problems = content_problems(content, catalog, complete=complete)
    if problems:
        raise InvalidContent(problems)


def content_problems(content: DraftContent, catalog: ProcedureCatalog, *, complete: bool) -> dict[str, str]:
    """What `check_content` refuses, as `fields`: empty when the content is fine."""
    if content.procedure_code not in catalog:
        return {"procedure_code": "Thủ tục hành chính không tồn tại."}
    fields = {field.name: field for field in catalog.get(content.procedure_code).form_fields}
    problems: dict[str, str] = {}
    for name, value in content.form.items():
        field = fields.get(name)
        if field is None:
            problems[f"form.{name}"] = f"“{name}”: không thuộc biểu mẫu của thủ tục này."
        elif field.type == "number" and value is not None and not isinstance(value, int | float):
            problems[f"form.{name}"] = f"{field.label}: phải là số."
    if complete:
        for field in fields.values():
            if field.required and content.form.get(field.name) in (None, ""):
                problems[f"form.{field.name}"] = f"{field.label}: bắt buộc phải nhập."
    return problems


def completed(content: DraftContent) -> DossierContent | dict[str, str]:
    """The content as a dossier that can be sent (title and applicant whole), or what it lacks, as `fields`:
    each field named with what it needs ("Họ và tên: bắt buộc phải nhập.")."""
    given = content.model_dump()
    # A part the draft left out is missing, not null: said as a field to fill in, not as a wrong type.
    given["applicant"] = content.applicant.model_dump(exclude_none=True)
    if content.title is None:
        del given["title"]
    try:
        return DossierContent.model_validate(given)
    except ValidationError as error:
        return field_messages(error.errors())


def create_draft(
    dossier_id: str, owner: Owner, content: DraftContent, catalog: ProcedureCatalog, now: datetime,
) -> tuple[Dossier, DraftCreated]:
    check_content(content, catalog, complete=False)
    dossier = Dossier(dossier_id, owner, Status.DRAFT, 1, content, now, now)
    return dossier, DraftCreated(owner_id=owner.id, content=ContentOutline.of(content))


def edit(
    dossier: Dossier, changes: dict[str, Any], expected_version: int, catalog: ProcedureCatalog,
    now: datetime,
) -> tuple[Dossier, DraftUpdated]:
    """Replace the given top-level parts of the content (title, applicant, form, procedure).

    Only on the version the citizen saw: the parts replace whole ones (all of `form`), so applied to a newer
    version they would undo what changed meanwhile, unseen.
    """
    _refuse_ahead_of_intake(dossier, expected_version)
    if dossier.status not in EDITABLE:
        raise NotEditable(status=dossier.status)
    if expected_version != dossier.version:
        raise StaleVersion(current_version=dossier.version)
    try:
        content = DraftContent.model_validate({**dossier.content.model_dump(), **changes})
    except ValidationError as error:
        raise InvalidContent(field_messages(error.errors())) from None
    check_content(content, catalog, complete=False)
    if content.procedure_code != dossier.content.procedure_code and dossier.files:
        # The files belong to the documents of the procedure they were attached for.
        raise InvalidContent({"procedure_code": "Không thể đổi thủ tục hành chính của hồ sơ đã có tệp đính kèm."})
    changed = replace(dossier, content=content, version=dossier.version + 1, updated_at=now)
    return changed, DraftUpdated(content=ContentOutline.of(content))


def delete(dossier: Dossier, expected_version: int | None) -> tuple[Dossier, DraftDeleted]:
    """Delete a draft (xoá hồ sơ chưa gửi), on the version the citizen saw if they name one."""
    _refuse_ahead_of_intake(dossier, expected_version)
    if dossier.status != Status.DRAFT:
        raise NotDeletable(status=dossier.status)
    if expected_version is not None and expected_version != dossier.version:
        raise StaleVersion(current_version=dossier.version)
    return replace(dossier, version=dossier.version + 1, deleted=True), DraftDeleted()


def submit(dossier: Dossier, catalog: ProcedureCatalog, now: datetime) -> tuple[Dossier, DossierSubmitted]:
    """Send the dossier (gửi hồ sơ): from here on processing holds it until it comes back.

    A draft may be saved incomplete; sending needs the title, the applicant whole, the form complete and the
    documents attached (`sending.document_problems`), all refused at once so that the citizen sees every gap;
    every file is frozen from here on.
    """
    ensure_can_move(dossier.status, Status.SUBMITTED)
    content = completed(dossier.content)
    # In the page's order: the title and the applicant, the form, then the documents.
    problems = {} if isinstance(content, DossierContent) else content
    problems |= content_problems(dossier.content, catalog, complete=True)
    code = dossier.content.procedure_code
    procedure = catalog.get(code) if code in catalog else None
    if procedure is not None:
        problems |= document_problems(dossier, procedure)
    if problems or procedure is None or not isinstance(content, DossierContent):
        raise NotReadyToSend(problems)
    sent = sending(dossier, procedure)
    version = dossier.version + 1
    submitted = replace(dossier, status=Status.SUBMITTED, version=version, updated_at=now, files=sent.files,
                        last_sent_version=version)
    payload = DossierSubmitted(from_status=dossier.status, owner_id=dossier.owner.id,
                               content=SentOutline.of(content), documents=sent.documents,
                               changed_documents=sent.changed_documents)
    return submitted, payload


def take_back(
    dossier: Dossier, status: Status, version: int, now: datetime, requested_documents: Sequence[str] = (),
) -> Dossier | None:
    """Processing handed the dossier back (withdrawn, or a supplement requested): the citizen holds it again.

    It comes back in the status the event says (`draft` after a withdrawal, `supplement_requested` after a
    supplement request, which also records the documents it names and its version, so that sending it again
    can ask for files added since). None when this version was already taken into account (a duplicate or
    an older event); HandBackOutOfTurn for one processing could not have sent: into a status intake does not
    hold, or for a dossier intake holds already.
    """
    if version <= dossier.version:
        return None
    if _held_by_intake(dossier.status) or not _held_by_intake(status):
        raise HandBackOutOfTurn(current=dossier.status, wanted=status)
    taken_back = replace(dossier, status=status, version=version, updated_at=now)
    if status is Status.SUPPLEMENT_REQUESTED:
        requested = SupplementRequest(tuple(dict.fromkeys(requested_documents)), version)
        taken_back = replace(taken_back, supplement=requested)
    return taken_back


def _held_by_intake(status: Status) -> bool:
    return info(status).holder is Holder.INTAKE


def _refuse_ahead_of_intake(dossier: Dossier, expected_version: int | None) -> None:
    """NotHandedBackYet for a version newer than intake's while processing holds the dossier.

    Only a hand-back on its way can have made it: the citizen saw it in the read model before intake took it.
    """
    if expected_version is not None and expected_version > dossier.version and not _held_by_intake(dossier.status):
        raise NotHandedBackYet(dossier_id=dossier.id)

